import Foundation

/// "Nice" tick values: multiples of 1, 2 or 5 × 10ᵏ on linear axes, and 1-2-5 (or 1…9, or
/// powers of ten) per decade on logarithmic ones. Charts use these for their axes; they are
/// public so a report can line its own tables up with a chart's ticks.
public enum Ticks {
    /// The fewest-step-size ticks of the form k·s, s ∈ {1, 2, 5} × 10ᵉ, that cover `range`:
    /// the first tick is ≤ `range.lowerBound`, the last ≥ `range.upperBound`, at most
    /// `maxCount` ticks (at least 3: a range around zero needs −s, 0, s), and the step is the
    /// smallest such nice step.
    ///
    /// A degenerate range (lower = upper, or bounds closer than the smallest normal number) is
    /// widened by 10% of its magnitude (or by 1 near 0).
    /// Non-finite bounds give `[]`. Complexity: O(maxCount).
    public static func linear(covering range: ClosedRange<Double>, maxCount: Int) -> [Double] {
        linearDecimals(covering: range, maxCount: maxCount).map(\.value)
    }

    /// Ticks for a logarithmic axis covering `range` (both bounds > 0): the densest of
    /// 1…9 × 10ᵏ, then {1, 2, 5} × 10ᵏ, then 10ᵏ, then every 2nd, 5th, 10th, … power of ten,
    /// that covers the range in at most `maxCount` ticks (at least 2).
    ///
    /// Returns `[]` when a bound is not finite or not positive. Complexity: O(maxCount + log range).
    public static func logarithmic(covering range: ClosedRange<Double>, maxCount: Int) -> [Double] {
        logarithmicDecimals(covering: range, maxCount: maxCount).map(\.value)
    }

    static func linearDecimals(covering range: ClosedRange<Double>, maxCount: Int) -> [DecimalValue] {
        var lower = range.lowerBound, upper = range.upperBound
        guard lower.isFinite, upper.isFinite else { return [] }
        let maxCount = max(3, maxCount)
        // Equal bounds, or bounds closer than the smallest normal step (whose half-span
        // rounds to 0 and has no logarithm): widen around the middle.
        if !(upper / 2 - lower / 2 >= Double.leastNormalMagnitude) {
            let middle = lower / 2 + upper / 2
            let pad = Swift.abs(middle) < 1e-300 ? 1 : Swift.abs(middle) * 0.1
            lower = middle - pad
            upper = middle + pad
        }
        let halfSpan = upper / 2 - lower / 2
        let magnitude = max(Swift.abs(lower), Swift.abs(upper))
        var exponent = Int(floor(log10(halfSpan) + log10(2 / Double(maxCount - 1)))) - 1
        while true {
            for multiplier in [1, 2, 5] {
                let step = DecimalValue(significand: multiplier, exponent: exponent).value
                // Beyond 10^15 steps from zero the labels could not tell ticks apart.
                guard step > 0, magnitude / step < 1e15 else { continue }
                let first = latticeIndex(at: lower, multiplier, exponent, roundingUp: false)
                let last = latticeIndex(at: upper, multiplier, exponent, roundingUp: true)
                if last - first + 1 <= maxCount {
                    return (first...last).map {
                        DecimalValue(significand: $0 * multiplier, exponent: exponent)
                    }
                }
            }
            exponent += 1
        }
    }

    /// The index k of the lattice point k·m·10ᵉ at or just below (above) `value`, decided on
    /// the exactly rounded decimal values so that bounds on a tick keep that tick.
    private static func latticeIndex(
        at value: Double, _ multiplier: Int, _ exponent: Int, roundingUp: Bool
    ) -> Int {
        let step = DecimalValue(significand: multiplier, exponent: exponent).value
        var index = Int((value / step).rounded())
        let point = { (k: Int) in DecimalValue(significand: k * multiplier, exponent: exponent).value }
        if roundingUp {
            while point(index) < value { index += 1 }
            while point(index - 1) >= value { index -= 1 }
        } else {
            while point(index) > value { index -= 1 }
            while point(index + 1) <= value { index += 1 }
        }
        return index
    }

    static func logarithmicDecimals(covering range: ClosedRange<Double>, maxCount: Int)
        -> [DecimalValue]
    {
        var lower = range.lowerBound, upper = range.upperBound
        guard lower.isFinite, upper.isFinite, lower > 0 else { return [] }
        let maxCount = max(2, maxCount)
        if lower == upper {
            lower /= 2
            upper *= 2
        }
        for mantissas in [Array(1...9), [1, 2, 5], [1]] {
            if let ticks = mantissaLattice(mantissas, from: lower, to: upper, maxCount: maxCount) {
                return ticks
            }
        }
        let lowDecade = decade(of: lower), highDecade = ceilingDecade(of: upper)
        for stride in [2, 5, 10, 20, 50, 100, 200, 500] {
            let first = Int(floor(Double(lowDecade) / Double(stride)))
            let last = Int(ceil(Double(highDecade) / Double(stride)))
            if last - first + 1 <= maxCount {
                return (first...last).map { DecimalValue(significand: 1, exponent: $0 * stride) }
            }
        }
        return [
            DecimalValue(significand: 1, exponent: lowDecade),
            DecimalValue(significand: 1, exponent: highDecade),
        ]
    }

    /// Ticks m·10ᵏ with m from `mantissas` (ascending, starting at 1), from the largest one
    /// ≤ `lower` to the smallest one ≥ `upper`; nil when that takes more than `maxCount`.
    private static func mantissaLattice(
        _ mantissas: [Int], from lower: Double, to upper: Double, maxCount: Int
    ) -> [DecimalValue]? {
        var exponent = decade(of: lower)
        var index = mantissas.lastIndex {
            DecimalValue(significand: $0, exponent: exponent).value <= lower
        } ?? 0
        var ticks: [DecimalValue] = []
        while true {
            let tick = DecimalValue(significand: mantissas[index], exponent: exponent)
            ticks.append(tick)
            if ticks.count > maxCount { return nil }
            if tick.value >= upper { return ticks }
            index += 1
            if index == mantissas.count {
                index = 0
                exponent += 1
            }
        }
    }

    /// k with 10ᵏ ≤ value < 10ᵏ⁺¹, decided exactly.
    static func decade(of value: Double) -> Int {
        var k = Int(floor(log10(value)))
        while DecimalValue(significand: 1, exponent: k).value > value { k -= 1 }
        while DecimalValue(significand: 1, exponent: k + 1).value <= value { k += 1 }
        return k
    }

    /// The smallest k with 10ᵏ ≥ value.
    private static func ceilingDecade(of value: Double) -> Int {
        let k = decade(of: value)
        return DecimalValue(significand: 1, exponent: k).value == value ? k : k + 1
    }
}

/// A number written exactly as significand × 10^exponent, so tick labels come from decimal
/// digits and never show binary rounding (0.30000000000000004).
struct DecimalValue: Hashable, Sendable {
    let significand: Int
    let exponent: Int

    /// The Double nearest to the decimal (parsing the decimal text rounds correctly).
    var value: Double { Double("\(significand)e\(exponent)") ?? .nan }
}
