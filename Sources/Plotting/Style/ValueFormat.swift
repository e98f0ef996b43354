/// How a chart prints data values (heat-map cells, bar labels).
///
/// Charts print all their values with ``strings(_:)``, so a column of numbers shares one
/// number of decimal places (0.30 beside 0.31, not 0.3). Every format writes a true minus sign (−), NaN as "NaN", ±∞ as "∞" / "−∞", and is
/// deterministic (the same value always gives the same text).
public enum ValueFormat: Sendable, Hashable {
    /// One value: three significant digits (0.25, 12.5, 1250, 3.7×10⁻⁴⁴). A set of values:
    /// one number of decimal places for all, enough to give the smallest non-zero magnitude
    /// two significant digits (0.28 and 2.30; 5.0 and 31.0), or three significant digits
    /// each when the set holds magnitudes below 10⁻³ or from 10⁶ up.
    case automatic
    /// A fixed number of significant digits (1…17).
    case significantDigits(Int)
    /// A fixed number of decimal places (0…12): `.decimals(2)` prints 0.50.
    case decimals(Int)
    /// The value × 100 with a percent sign: `.percent(decimals: 1)` prints 0.125 as 12.5%.
    case percent(decimals: Int)

    /// The values as text, sharing decimal places as described for each format.
    public func strings(_ values: [Double]) -> [String] {
        guard self == .automatic else { return values.map(string) }
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        guard let smallest = magnitudes.min(), let largest = magnitudes.max(),
              smallest >= 1e-3, largest < 1e6
        else { return values.map(string) }
        let decimals = max(0, 1 - Ticks.decade(of: smallest))
        return values.map { NumberText.fixed($0, decimals: decimals) }
    }

    /// The value as text in this format.
    public func string(_ value: Double) -> String {
        switch self {
        case .automatic: return NumberText.significant(value, digits: 3)
        case .significantDigits(let digits): return NumberText.significant(value, digits: digits)
        case .decimals(let decimals): return NumberText.fixed(value, decimals: decimals)
        case .percent(let decimals):
            let text = NumberText.fixed(value * 100, decimals: decimals)
            return value.isFinite ? text + "%" : text
        }
    }
}
