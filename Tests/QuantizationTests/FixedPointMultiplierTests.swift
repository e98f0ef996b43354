import Networks
import Quantization
import Runtime
import Testing

@Suite struct FixedPointMultiplierTests {
    /// `r = apply(acc)` is the exact rational `acc·m/2^e` rounded to nearest, ties up:
    /// `2^e·(2r − 1) ≤ 2·acc·m < 2^e·(2r + 1)`, checked in 128-bit integers.
    func isExactlyRounded(_ accumulator: Int32, _ multiplier: FixedPointMultiplier) -> Bool {
        let result = multiplier.apply(accumulator)
        let twiceProduct = Wide128(Int64(accumulator), times: 2 * Int64(multiplier.multiplier))
        let power = Int64(1) << multiplier.rightShift
        return !(twiceProduct < Wide128(2 * result - 1, times: power))
            && twiceProduct < Wide128(2 * result + 1, times: power)
    }

    static let extremeAccumulators: [Int32] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]

    @Test func applyMatchesExactRationalRounding() throws {
        var generator = SeededGenerator(seed: 5)
        for trial in 0..<20_000 {
            let significand = Int32.random(in: 1 << 30 ..< Int32.max, using: &generator)
            let multiplier = try FixedPointMultiplier(
                multiplier: Bool.random(using: &generator) ? significand : -significand,
                rightShift: Int.random(in: 1...62, using: &generator))
            let accumulator = trial % 10 == 0
                ? Self.extremeAccumulators.randomElement(using: &generator)!
                : Int32.random(in: .min ... .max, using: &generator) >> Int32.random(in: 0...30, using: &generator)
            #expect(isExactlyRounded(accumulator, multiplier), "acc \(accumulator), \(multiplier)")
        }
    }

    @Test func tiesRoundTowardsPlusInfinity() throws {
        let half = try FixedPointMultiplier(0.5)
        #expect(half.apply(1) == 1)
        #expect(half.apply(-1) == 0)
        #expect(half.apply(3) == 2)
        #expect(half.apply(-3) == -1)
    }

    @Test func realFactorsAreRepresentedToHalfAUnitOfThe31stBit() throws {
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<20_000 {
            let real = Double(sign: Bool.random(using: &generator) ? .minus : .plus,
                              exponent: Int.random(in: -32...29, using: &generator),
                              significand: Double.random(in: 1..<2, using: &generator))
            let fixed = try FixedPointMultiplier(real)
            #expect((UInt64(1 << 30)...UInt64(Int32.max)).contains(Int64(fixed.multiplier).magnitude))
            let scaled = real * Double(sign: .plus, exponent: fixed.rightShift, significand: 1)
            #expect((Double(fixed.multiplier) - scaled).magnitude <= 0.5)
            for _ in 0..<4 {
                let accumulator = Int32.random(in: -(1 << 24)...(1 << 24), using: &generator)
                let exact = Double(accumulator) * real
                let bound = 0.5 + exact.magnitude * 0x1p-30 + 1e-9
                #expect((Double(fixed.apply(accumulator)) - exact).magnitude <= bound)
            }
        }
    }

    @Test func significandRoundingUpToTwoToThe31Renormalises() throws {
        let fixed = try FixedPointMultiplier(1 - 0x1p-40)
        #expect(fixed.multiplier == 1 << 30)
        #expect(fixed.rightShift == 30)
        #expect(fixed.realValue == 1)
    }

    @Test func tinyFactorsBecomeZeroAndStillRoundExactly() throws {
        let fixed = try FixedPointMultiplier(0x1p-33)
        #expect(fixed.multiplier == 0)
        for accumulator in Self.extremeAccumulators {
            #expect(fixed.apply(accumulator) == 0)
            // |acc · 2^-33| ≤ 1/4, so the exact rounding is 0 too.
            #expect((Double(accumulator) * 0x1p-33).rounded() == 0)
        }
        #expect(try FixedPointMultiplier(0).apply(.max) == 0)
    }

    @Test func hugeOrNonFiniteFactorsAreRefused() {
        #expect(throws: QuantizationError.self) { try FixedPointMultiplier(0x1p30) }
        #expect(throws: QuantizationError.self) { try FixedPointMultiplier(-0x1p31) }
        #expect(throws: QuantizationError.self) { try FixedPointMultiplier(.nan) }
        #expect(throws: QuantizationError.self) { try FixedPointMultiplier(multiplier: 1, rightShift: 0) }
        #expect(throws: QuantizationError.self) { try FixedPointMultiplier(multiplier: .min, rightShift: 5) }
        #expect(throws: Never.self) { try FixedPointMultiplier(0x1p30 - 64) }
    }
}
