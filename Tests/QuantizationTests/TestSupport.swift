import Networks
import Quantization
import Runtime

extension QuantizedWeights {
    /// Random int8 weights with random positive scales; `extremes` draws only the ends of the
    /// range, which is −128…127, or −largest…largest.
    static func random(
        outputs: Int, inputs: Int, extremes: Bool = false, largest: Int8? = nil,
        using generator: inout SeededGenerator
    ) throws -> QuantizedWeights {
        let range = largest.map { -$0...$0 } ?? Int8.min...Int8.max
        let values = (0..<outputs * inputs).map { _ in
            extremes ? (Bool.random(using: &generator) ? range.lowerBound : range.upperBound)
                : Int8.random(in: range, using: &generator)
        }
        let scales = (0..<outputs).map { _ in Float.random(in: 0.001...0.05, using: &generator) }
        return try QuantizedWeights(values: values, scales: scales, outputs: outputs, inputs: inputs)
    }
}

/// Random codes; `extremes` draws only 0 and 255.
func randomCodes(_ count: Int, extremes: Bool = false, using generator: inout SeededGenerator) -> [UInt8] {
    (0..<count).map { _ in
        extremes ? (Bool.random(using: &generator) ? 0 : 255) : UInt8.random(in: 0...255, using: &generator)
    }
}

/// The exact product of two Int64 values as a 128-bit pair, compared lexicographically.
struct Wide128: Comparable {
    let high: Int64
    let low: UInt64
    init(_ a: Int64, times b: Int64) {
        (high, low) = a.multipliedFullWidth(by: b)
    }
    static func < (lhs: Wide128, rhs: Wide128) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}
