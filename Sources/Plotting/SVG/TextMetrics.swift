/// Estimated text widths for layout, from the advance widths of DejaVu Sans (the first font
/// the charts ask for, and among the widest common sans-serif faces, so estimates err on the
/// roomy side for Helvetica or Arial). SVG has no text measurement without a renderer, and
/// a close estimate is enough to size margins and avoid overlapping labels.
enum TextMetrics {
    /// Width in pixels of `text` set at `fontSize` pixels (regular weight).
    static func width(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            ems += advance(scalar)
        }
        return ems * fontSize
    }

    /// Advance widths in ems for printable ASCII (U+0020 … U+007E), DejaVu Sans.
    private static let ascii: [Double] = [
        0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838,
        0.318, 0.361, 0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,
        0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.000, 0.684, 0.686, 0.698,
        0.770, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787,
        0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.390,
        0.337, 0.390, 0.838, 0.500, 0.500, 0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635,
        0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521,
        0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
    ]

    private static func advance(_ scalar: Unicode.Scalar) -> Double {
        switch scalar.value {
        case 0x20...0x7E: return ascii[Int(scalar.value - 0x20)]
        case 0x2070...0x209F, 0xB2, 0xB3, 0xB9: return 0.40  // superscripts and subscripts
        case 0x2212, 0xD7, 0x221E: return 0.838  // minus sign, multiplication sign, infinity
        case 0x2032, 0x2033: return 0.30  // primes
        case 0x2013: return 0.50
        case 0x2014, 0x2026: return 1.00
        case 0x0300...0x036F, 0x200B...0x200D: return 0  // combining marks, zero-width
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60:
            return 1.00  // wide East Asian characters
        default: return 0.65
        }
    }
}
