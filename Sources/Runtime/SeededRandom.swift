/// The draws every seeded generator of the project shares, written once with fixed
/// algorithms: the standard library's `shuffle(using:)` and `random(in:using:)` may change
/// between Swift versions, and a seeded result must not.
public protocol SeededRandom: RandomNumberGenerator {}

extension SeededRandom {
    /// A uniform `Double` in [0, 1) on the grid of multiples of 2⁻⁵³:
    /// `Double(next() >> 11) · 2⁻⁵³`, exact.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound`, without bias (Lemire 2019: the high word of
    /// `next() · bound`, redrawn when the low word falls in the short first interval).
    ///
    /// - Precondition: `bound ≥ 1`.
    @inlinable
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound >= 1, "nextIndex(below:) needs a bound ≥ 1, got \(bound)")
        let range = UInt64(bound)
        var product = range.multipliedFullWidth(by: next())
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = range.multipliedFullWidth(by: next())
            }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place, every order equally likely (Fisher–Yates from the back:
    /// position i swaps with `nextIndex(below: i + 1)`). O(n).
    @inlinable
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        var position = elements.count - 1
        while position > 0 {
            elements.swapAt(position, nextIndex(below: position + 1))
            position -= 1
        }
    }
}
