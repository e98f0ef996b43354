/// Conversions between `Float`/`Double` and the two 16-bit formats, on bit patterns.
///
/// ```
/// F16  (IEEE binary16): 1 sign, 5 exponent, 10 fraction bits; max 65504
/// BF16 (bfloat16):      1 sign, 8 exponent,  7 fraction bits; the top half of a Float
/// ```
/// Widening is exact. Narrowing rounds to nearest, ties to even, overflowing to ±∞; ±0, ±∞
/// and subnormals map to their counterparts and NaN stays NaN (quiet, with its sign).
enum HalfPrecision {
    @inline(__always)
    static func float(fromFloat16 bits: UInt16) -> Float {
        Float(Float16(bitPattern: bits))
    }

    @inline(__always)
    static func double(fromFloat16 bits: UInt16) -> Double {
        Double(Float16(bitPattern: bits))
    }

    /// Swift's conversion rounds to nearest even (F16C's `vcvtps2ph` or compiler-rt).
    @inline(__always)
    static func float16(_ value: Float) -> UInt16 {
        Float16(value).bitPattern
    }

    /// Rounds once, directly from `Double` (compiler-rt's `__truncdfhf2`): going through
    /// `Float` would round twice.
    @inline(__always)
    static func float16(_ value: Double) -> UInt16 {
        Float16(value).bitPattern
    }

    @inline(__always)
    static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Keeps the top 16 bits, rounded: adding `0x7FFF` plus the lowest kept bit carries into
    /// the kept half exactly when the dropped half exceeds one half, or equals it and the
    /// kept half is odd. A carry out of the largest finite value gives ∞, as it should.
    /// Branch-free, so loops over it vectorise.
    @inline(__always)
    static func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
        let quietNaN = (bits >> 16) | 0x0040
        return UInt16(truncatingIfNeeded: value.isNaN ? quietNaN : rounded)
    }

    /// Rounds once: `value` is first rounded to `Float` *to odd* (truncated, with the last
    /// bit set when anything was dropped), which keeps enough information for the second
    /// rounding to give the correctly rounded result, since `Float` has 16 more bits.
    @inline(__always)
    static func bfloat16(_ value: Double) -> UInt16 {
        let nearest = Float(value)
        if value.isNaN || nearest.isInfinite || Double(nearest) == value {
            return bfloat16(nearest)
        }
        let towardZero = abs(Double(nearest)) > abs(value)
            ? (nearest > 0 ? nearest.nextDown : nearest.nextUp) : nearest
        return bfloat16(Float(bitPattern: towardZero.bitPattern | 1))
    }
}
