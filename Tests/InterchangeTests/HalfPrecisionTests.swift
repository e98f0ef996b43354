import Interchange
import Networks
import Runtime
import Testing

/// F16 and BF16 conversions against an exact oracle: every 16-bit pattern's value from its
/// fields, and rounding decided by comparing with the midpoint of the two neighbours
/// (exact in `Double`, since neighbours differ by a power of two and have ≤ 11 bits).
@Suite struct HalfPrecisionTests {
    @Test func everyFloat16PatternWidensExactly() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let tensor = try SafeTensors.Tensor(dtype: .float16, shape: [patterns.count], bytes: littleEndian(patterns))
        let floats = try tensor.floats()
        let doubles = try tensor.doubles()
        for (index, bits) in patterns.enumerated() {
            let expected = Format.float16.value(bits)
            #expect(sameValue(Double(floats[index]), expected), "F16 \(bits)")
            #expect(sameValue(doubles[index], expected), "F16 \(bits)")
        }
    }

    @Test func everyBFloat16PatternWidensExactly() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let tensor = try SafeTensors.Tensor(dtype: .bfloat16, shape: [patterns.count], bytes: littleEndian(patterns))
        let floats = try tensor.floats()
        for (index, bits) in patterns.enumerated() {
            #expect(sameValue(Double(floats[index]), Format.bfloat16.value(bits)), "BF16 \(bits)")
        }
    }

    @Test(arguments: [Format.float16, Format.bfloat16])
    func floatsRoundToNearestEven(format: Format) throws {
        let inputs = interestingFloats(for: format)
        let tensor = try SafeTensors.Tensor(inputs, as: format.dtype)
        let stored = patterns(of: tensor)
        for (index, input) in inputs.enumerated() {
            let expected = format.roundedBits(Double(input))
            #expect(format.sameEncoding(stored[index], expected), "\(format) \(input)")
        }
    }

    @Test(arguments: [Format.float16, Format.bfloat16])
    func doublesRoundOnceToNearestEven(format: Format) throws {
        var inputs = interestingFloats(for: format).map(Double.init)
        var generator = SeededGenerator(seed: 11)
        // Just above and below each midpoint in Double: rounding through Float would tie.
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 37) where format.value(bits).isFinite {
            let midpoint = (format.value(bits) + format.value(bits + 1)) / 2
            inputs += [midpoint.nextUp, midpoint.nextDown, midpoint]
        }
        inputs += (0..<20_000).map { _ in Double(bitPattern: generator.next()) }
        let tensor = try SafeTensors.Tensor(inputs, as: format.dtype)
        let stored = patterns(of: tensor)
        for (index, input) in inputs.enumerated() {
            #expect(format.sameEncoding(stored[index], format.roundedBits(input)), "\(format) \(input)")
        }
    }

    @Test func specialValuesArePreserved() throws {
        let inputs: [Float] = [0, -0.0, .infinity, -.infinity, .nan, -.nan, 65504, 65520, -65520, 1e-8]
        #expect(patterns(of: try .init(inputs, as: .float16)).map { $0 & 0xFE00 == 0x7E00 }
            == [false, false, false, false, true, false, false, false, false, false])
        let half = patterns(of: try .init(inputs, as: .float16))
        #expect(half[0] == 0x0000 && half[1] == 0x8000 && half[2] == 0x7C00 && half[3] == 0xFC00)
        #expect(half[5] & 0xFE00 == 0xFE00)
        #expect(half[6] == 0x7BFF && half[7] == 0x7C00 && half[8] == 0xFC00 && half[9] == 0x0000)
        let brain = patterns(of: try .init(inputs, as: .bfloat16))
        #expect(brain[0] == 0x0000 && brain[1] == 0x8000 && brain[2] == 0x7F80 && brain[3] == 0xFF80)
        #expect(brain[4] & 0xFFC0 == 0x7FC0 && brain[5] & 0xFFC0 == 0xFFC0)
        #expect(patterns(of: try .init([Float.greatestFiniteMagnitude], as: .bfloat16)) == [0x7F80])
    }
}

/// One of the two 16-bit formats, described by its exponent and fraction widths.
enum Format: CustomStringConvertible, Sendable {
    case float16, bfloat16

    var dtype: SafeTensors.DType { self == .float16 ? .float16 : .bfloat16 }
    var description: String { dtype.rawValue }
    private var fractionBits: Int { self == .float16 ? 10 : 7 }
    private var exponentBits: Int { self == .float16 ? 5 : 8 }
    private var bias: Int { (1 << (exponentBits - 1)) - 1 }
    private var infinityBits: UInt16 { UInt16(((1 << exponentBits) - 1) << fractionBits) }

    /// The value of a bit pattern, from its sign, exponent and fraction fields.
    func value(_ bits: UInt16) -> Double {
        let sign: Double = bits >> 15 == 1 ? -1 : 1
        let exponent = Int(bits >> UInt16(fractionBits)) & ((1 << exponentBits) - 1)
        let fraction = Double(Int(bits) & ((1 << fractionBits) - 1))
        if exponent == (1 << exponentBits) - 1 { return fraction == 0 ? sign * .infinity : .nan }
        if exponent == 0 { return sign * fraction * pow2(1 - bias - fractionBits) }
        return sign * (fraction + Double(1 << fractionBits)) * pow2(exponent - bias - fractionBits)
    }

    /// The correctly rounded pattern of `x`: the nearer of the two neighbours, the one with
    /// an even last bit on a tie; past the largest finite value's half-ulp, ∞.
    func roundedBits(_ x: Double) -> UInt16 {
        let sign: UInt16 = x.sign == .minus ? 0x8000 : 0
        if x.isNaN { return sign | infinityBits | 1 }
        let magnitude = Swift.abs(x)
        var low: UInt16 = 0
        var high: UInt16 = infinityBits
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if value(middle) <= magnitude { low = middle } else { high = middle }
        }
        let upper = high == infinityBits ? pow2((1 << (exponentBits - 1))) : value(high)
        let midpoint = (value(low) + upper) / 2
        let chosen = magnitude < midpoint ? low : magnitude > midpoint ? high : (low & 1 == 0 ? low : high)
        return sign | chosen
    }

    /// Equal patterns, or both NaN with the same sign.
    func sameEncoding(_ a: UInt16, _ b: UInt16) -> Bool {
        value(a).isNaN && value(b).isNaN ? a >> 15 == b >> 15 : a == b
    }
}

private func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }

private func sameValue(_ a: Double, _ b: Double) -> Bool {
    a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
}

private func littleEndian(_ patterns: [UInt16]) -> [UInt8] {
    patterns.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

private func patterns(of tensor: SafeTensors.Tensor) -> [UInt16] {
    let bytes = tensor.bytes
    return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
}

/// Every format's midpoints and their neighbours in Float, the overflow threshold,
/// subnormals, and random patterns.
private func interestingFloats(for format: Format) -> [Float] {
    var inputs: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude,
                           .leastNonzeroMagnitude, .leastNormalMagnitude, 65504, 65520,
                           Float(bitPattern: 0x7F7F_8000)]
    for bits in stride(from: UInt16(0), to: 0x7F80, by: 3) where format.value(bits + 1).isFinite {
        if let midpoint = Float(exactly: (format.value(bits) + format.value(bits + 1)) / 2) {
            inputs += [midpoint, midpoint.nextUp, midpoint.nextDown, -midpoint]
        }
    }
    var generator = SeededGenerator(seed: 5)
    inputs += (0..<20_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())) }
    return inputs
}
