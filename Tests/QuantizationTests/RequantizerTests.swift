import Activations
import Networks
import Quantization
import Runtime
import Testing

@Suite struct RequantizerTests {
    static func randomMultiplier(using generator: inout SeededGenerator) throws -> FixedPointMultiplier {
        let kind = Int.random(in: 0..<10, using: &generator)
        if kind == 0 { return try FixedPointMultiplier(0) }
        let significand = Int32.random(in: 1 << 30 ..< Int32.max, using: &generator)
        return try FixedPointMultiplier(
            multiplier: kind == 1 ? -significand : significand,
            rightShift: Int.random(in: 1...62, using: &generator))
    }

    @Test func fastEqualsReferenceBitForBit() throws {
        var generator = SeededGenerator(seed: 7)
        for trial in 0..<300 {
            let units = Int.random(in: 1...40, using: &generator)
            let rows = Int.random(in: 1...5, using: &generator)
            let positive = try (0..<units).map { _ in try Self.randomMultiplier(using: &generator) }
            let negative = trial % 2 == 0
                ? positive : try (0..<units).map { _ in try Self.randomMultiplier(using: &generator) }
            let table = trial % 3 == 0 ? randomCodes(256, using: &generator) : nil
            let requantizer = try Requantizer(
                positive: positive, negative: negative,
                zeroPoint: Int32.random(in: 0...255, using: &generator),
                lowerClamp: Int32.random(in: 0...255, using: &generator), table: table)
            let accumulators = (0..<rows * units).map { _ in
                Bool.random(using: &generator)
                    ? [Int32.min, -1, 0, 1, Int32.max].randomElement(using: &generator)!
                    : Int32.random(in: .min ... .max, using: &generator) >> Int32.random(in: 0...31, using: &generator)
            }
            var reference = [UInt8](repeating: 0, count: accumulators.count)
            accumulators.withUnsafeBufferPointer { input in
                reference.withUnsafeMutableBufferPointer { requantizer.referenceRequantize(input, into: $0) }
            }
            for path in IntegerGEMM.Path.allCases {
                var fast = [UInt8](repeating: 0, count: accumulators.count)
                accumulators.withUnsafeBufferPointer { input in
                    fast.withUnsafeMutableBufferPointer { requantizer.requantize(input, into: $0, path: path) }
                }
                #expect(fast == reference, "\(path)")
            }
        }
    }

    @Test func reluIsTheLowerClampAtTheZeroPoint() throws {
        let multiplier = try FixedPointMultiplier(0.01)
        let requantizer = try Requantizer(
            positive: [multiplier], negative: [multiplier], zeroPoint: 3, lowerClamp: 3)
        let accumulators: [Int32] = [-100_000, -1, 0, 60, 1000, 1_000_000]
        var codes = [UInt8](repeating: 0, count: accumulators.count)
        accumulators.withUnsafeBufferPointer { input in
            codes.withUnsafeMutableBufferPointer { requantizer.requantize(input, into: $0) }
        }
        #expect(codes == [3, 3, 3, 4, 13, 255])
    }

    @Test func negativeSideUsesItsOwnSlope() throws {
        let scale = 0.003, slope = 0.1
        let positive = try FixedPointMultiplier(scale), negative = try FixedPointMultiplier(slope * scale)
        let requantizer = try Requantizer(
            positive: [positive], negative: [negative], zeroPoint: 128, lowerClamp: 0)
        let accumulators: [Int32] = [-200_000, -20_000, -1_500, -1, 0, 2_000]
        var codes = [UInt8](repeating: 0, count: accumulators.count)
        accumulators.withUnsafeBufferPointer { input in
            codes.withUnsafeMutableBufferPointer { requantizer.requantize(input, into: $0) }
        }
        // round(α·M·acc) + 128: −60 → 68, −6 → 122, −0.45 → 128, 0 → 128, 6 → 134.
        #expect(codes == [68, 122, 128, 128, 128, 134])
    }

    /// The fused leaky ReLU / PReLU lane is ``LeakyReLU``'s: with M and α·M exact in fixed
    /// point, every code on every path is clamp(z + round(leaky(acc)·M)), ties upwards, the
    /// leaky value taken from the definition (a zero slope gives 0, −1 gives |acc|).
    @Test(arguments: [0.25, 0, -1, 1, -0.5, 3])
    func leakyLaneIsLeakyReLUs(slope: Double) throws {
        let scale = 0x1p-12
        let leaky = try LeakyReLU(negativeSlope: slope)
        let positive = try FixedPointMultiplier(scale), negative = try FixedPointMultiplier(slope * scale)
        #expect(negative.realValue == slope * scale)
        let requantizer = try Requantizer(
            positive: [positive, positive, positive], negative: [negative, negative, negative],
            zeroPoint: 100, lowerClamp: 0)
        var generator = SeededGenerator(seed: 11)
        let accumulators: [Int32] = [.min, -1 << 20, -409_600, -2049, -2048, -1, 0, 1, 2048, 409_600, .max]
            + (0..<3001).map { _ in Int32.random(in: -1_000_000...1_000_000, using: &generator) }
        let expected = accumulators.map { accumulator -> UInt8 in
            let real = leaky.value(Double(accumulator)) * scale  // exact: a power of two times α
            return UInt8(Swift.min(Swift.max(100 + (real + 0.5).rounded(.down), 0), 255))
        }
        for path in IntegerGEMM.Path.allCases {
            var codes = [UInt8](repeating: 0, count: accumulators.count)
            accumulators.withUnsafeBufferPointer { input in
                codes.withUnsafeMutableBufferPointer { requantizer.requantize(input, into: $0, path: path) }
            }
            #expect(codes == expected, "α = \(slope), \(path)")
        }
    }

    @Test func badConfigurationsAreRefused() throws {
        let one = try FixedPointMultiplier(0.5)
        #expect(throws: QuantizationError.self) {
            try Requantizer(positive: [], negative: [], zeroPoint: 0, lowerClamp: 0)
        }
        #expect(throws: QuantizationError.self) {
            try Requantizer(positive: [one], negative: [], zeroPoint: 0, lowerClamp: 0)
        }
        #expect(throws: QuantizationError.self) {
            try Requantizer(positive: [one], negative: [one], zeroPoint: 256, lowerClamp: 0)
        }
        #expect(throws: QuantizationError.self) {
            try Requantizer(positive: [one], negative: [one], zeroPoint: 0, lowerClamp: 0, table: [1, 2])
        }
    }
}
