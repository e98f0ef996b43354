/// A real rescaling factor M as a 32-bit integer and a right shift, `M ≈ multiplier / 2^rightShift`,
/// applied to an int32 accumulator with one rounding to nearest:
///
/// ```
/// apply(acc) = floor((acc · multiplier + 2^(rightShift−1)) / 2^rightShift)
///            = acc · multiplier / 2^rightShift rounded to nearest, ties towards +∞
/// ```
///
/// This is TFLite's single-rounding `MultiplyByQuantizedMultiplier`: the 64-bit product is
/// exact, so the result is the exactly rounded value of `acc · multiplier / 2^rightShift`.
/// gemmlowp's `SaturatingRoundingDoublingHighMul` followed by `RoundingDivideByPOT` rounds
/// twice and can be one step off at ties; one rounding is simpler to test and never worse.
///
/// `|multiplier|` lies in [2^30, 2^31) (31 significant bits: the relative error of M is at
/// most 2^-31), and `rightShift` in 1...62; a factor below 2^-32 becomes multiplier 0 (every
/// product then rounds to 0 anyway, since |acc| ≤ 2^31). Negative factors are allowed (a PReLU
/// slope may be negative).
package struct FixedPointMultiplier: Hashable, Sendable, CustomStringConvertible {
    /// The significand, |multiplier| in [2^30, 2^31), or 0.
    package let multiplier: Int32
    /// The power of two divided by, 1...62.
    package let rightShift: Int

    /// The largest factor allowed (exclusive): 2^30.
    package static let limit: Double = 0x1p30

    /// The nearest 31-bit fixed-point form of `real`.
    /// - Throws: ``QuantizationError/multiplierOutOfRange(what:value:)`` when `real` is not
    ///   finite or `|real| ≥ 2^30`.
    package init(_ real: Double, what: String = "multiplier") throws(QuantizationError) {
        guard real.isFinite, real.magnitude < Self.limit else {
            throw .multiplierOutOfRange(what: what, value: real)
        }
        // real = significand · 2^exponent with significand in [1, 2): scale it into [2^30, 2^31).
        let shift = real == 0 ? 63 : 30 - Int(real.magnitude.exponent)
        guard shift <= 62 else {
            self.multiplier = 0
            self.rightShift = 1
            return
        }
        // Scaling by a power of two is exact, so this is one rounding of the real factor.
        var significand = (real.magnitude * Double(sign: .plus, exponent: shift, significand: 1))
            .rounded(.toNearestOrEven)
        var rightShift = shift
        if significand == 0x1p31 {
            significand = 0x1p30
            rightShift -= 1
        }
        guard rightShift >= 1 else { throw .multiplierOutOfRange(what: what, value: real) }
        self.multiplier = Int32(real < 0 ? -significand : significand)
        self.rightShift = rightShift
    }

    /// A multiplier given in integer form.
    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` when
    ///   `rightShift` is outside 1...62 or `multiplier` is `Int32.min`.
    package init(multiplier: Int32, rightShift: Int) throws(QuantizationError) {
        guard (1...62).contains(rightShift) else {
            throw .invalidParameter(name: "right shift", value: Double(rightShift), allowed: "1...62")
        }
        guard multiplier != .min else {
            throw .invalidParameter(
                name: "multiplier", value: Double(multiplier), allowed: "-(2^31-1)...2^31-1")
        }
        self.multiplier = multiplier
        self.rightShift = rightShift
    }

    /// `multiplier / 2^rightShift` (exact in Double).
    package var realValue: Double {
        Double(multiplier) * Double(sign: .plus, exponent: -rightShift, significand: 1)
    }

    /// `acc · M` rounded to nearest (ties towards +∞); the scalar reference of every
    /// requantisation in this module. |acc · multiplier| < 2^62, so nothing overflows.
    @inlinable
    package func apply(_ accumulator: Int32) -> Int64 {
        (Int64(accumulator) * Int64(multiplier) + (1 << (rightShift - 1))) >> rightShift
    }

    package var description: String { "\(multiplier) / 2^\(rightShift)" }
}
