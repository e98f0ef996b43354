import Foundation

/// An sRGB colour.
public struct Color: Sendable, Hashable, CustomStringConvertible {
    /// Red, 0…255.
    public let red: UInt8
    /// Green, 0…255.
    public let green: UInt8
    /// Blue, 0…255.
    public let blue: UInt8

    /// A colour from its sRGB channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(
            red: UInt8(truncatingIfNeeded: hex >> 16), green: UInt8(truncatingIfNeeded: hex >> 8),
            blue: UInt8(truncatingIfNeeded: hex))
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var description: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for channel in [red, green, blue] {
            text.append(digits[Int(channel >> 4)])
            text.append(digits[Int(channel & 15)])
        }
        return text
    }

    /// The colour moved `fraction` (0…1) of the way towards `other`, channel by channel.
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = min(max(fraction, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
        }
        return Color(
            red: channel(red, other.red), green: channel(green, other.green),
            blue: channel(blue, other.blue))
    }

    /// WCAG relative luminance (0 black … 1 white).
    public var luminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// White, #ffffff.
    public static let white = Color(hex: 0xFFFFFF)
    /// Black, #000000.
    public static let black = Color(hex: 0x000000)
}

/// Colour sets that stay distinguishable with the common colour-vision deficiencies.
public enum Palette {
    /// Okabe and Ito's eight colours ("Color Universal Design", 2008), ordered for series:
    /// blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow
    /// (yellow last: it is faint on white).
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0x000000), Color(hex: 0xF0E442),
    ]
}
