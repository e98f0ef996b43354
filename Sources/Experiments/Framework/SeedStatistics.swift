/// Mean, spread and range of one figure over seeds (or any small sample).
///
/// ```
/// mean = Σx / n
/// standardDeviation = √(Σ(x − mean)² / (n − 1))   (the sample deviation; 0 when n = 1)
/// ```
/// Non-finite values (a run that never reached its target, a diverged run) are left out
/// and counted in ``missing``, so a figure is never silently NaN.
package struct SeedStatistics: Codable, Hashable, Sendable {
    /// The number of finite values used.
    package let count: Int
    /// Values left out because they were NaN or ±∞.
    package let missing: Int
    /// The arithmetic mean of the finite values (NaN when there are none).
    package let mean: Double
    /// The sample standard deviation (n − 1 in the denominator; 0 for one value, NaN for none).
    package let standardDeviation: Double
    /// The smallest and largest finite value (NaN when there are none).
    package let minimum: Double, maximum: Double

    /// The statistics of `values`. O(n).
    package init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        count = finite.count
        missing = values.count - finite.count
        guard !finite.isEmpty else {
            mean = .nan
            standardDeviation = .nan
            minimum = .nan
            maximum = .nan
            return
        }
        let mean = finite.reduce(0, +) / Double(finite.count)
        let squares = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.mean = mean
        standardDeviation = finite.count > 1 ? (squares / Double(finite.count - 1)).squareRoot() : 0
        minimum = finite.min()!
        maximum = finite.max()!
    }

    /// Statistics at each position of several curves (one per seed): position i uses the
    /// i-th value of every curve long enough to have one. The result is as long as the
    /// longest curve.
    package static func pointwise(_ curves: [[Double]]) -> [SeedStatistics] {
        let length = curves.map(\.count).max() ?? 0
        return (0..<length).map { index in
            SeedStatistics(curves.compactMap { index < $0.count ? $0[index] : nil })
        }
    }

    /// "0.123 ± 0.004" (mean ± standard deviation) with `digits` significant digits, or
    /// "n/a" when no value was finite; "(k of n)" is added when some were missing.
    package func formatted(digits: Int = 3) -> String {
        guard count > 0 else { return "n/a" }
        var text = Self.format(mean, digits: digits)
        if count > 1 { text += " ± " + Self.format(standardDeviation, digits: 2) }
        if missing > 0 { text += " (\(count) of \(count + missing))" }
        return text
    }

    /// A number with `digits` significant digits in plain notation where reasonable.
    package static func format(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "−∞") }
        guard value != 0 else { return "0" }
        let magnitude = Int((abs(value)).log10Floor)
        if magnitude >= 7 { return String(describing: value) }
        if magnitude < -4 {
            return String(describing: (value * 1e6).rounded() / 1e6)
        }
        let decimals = max(0, digits - 1 - magnitude)
        return fixed(value, decimals: decimals)
    }

    /// `fraction` as a percentage with `decimals` places ("12.3%"); "n/a" when it is missing
    /// or not finite.
    package static func percent(_ fraction: Double?, decimals: Int = 1) -> String {
        guard let fraction, fraction.isFinite else { return "n/a" }
        return fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// `value` rounded to `decimals` places (0…17), without exponent; magnitudes of 10¹⁵
    /// and more (a diverged loss), and non-finite values, as ``format(_:)`` writes them.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return format(value) }
        let decimals = Swift.min(Swift.max(decimals, 0), 17)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let integerPart = Int((rounded / scale).rounded(.down))
        var text = (value < 0 && rounded != 0 ? "-" : "") + String(integerPart)
        if decimals > 0 {
            let fraction = Int((rounded - Double(integerPart) * scale).rounded())
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return text
    }
}

extension Double {
    /// ⌊log₁₀|x|⌋ for finite non-zero x.
    fileprivate var log10Floor: Double {
        var exponent = 0.0, magnitude = Swift.abs(self)
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        return exponent
    }
}
