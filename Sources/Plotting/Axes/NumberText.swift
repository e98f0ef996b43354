import Foundation

/// How numbers read in charts: a true minus sign (−), powers of ten with superscripts
/// (2.5×10⁻⁶), and digits that come from decimal values, never from binary rounding.
enum NumberText {
    static let minus = "\u{2212}"

    /// Labels for ticks that share one step: plain decimals with the step's number of
    /// decimal places (0.5, 1.0, 1.5), or, when the numbers are very large (≥ 10⁶) or the
    /// step very small (< 10⁻⁴), scientific notation with a mantissa on every label
    /// (1×10⁷, 1.5×10⁷, 2×10⁷).
    static func linearLabels(_ ticks: [DecimalValue]) -> [String] {
        let exponent = ticks.map(\.exponent).min() ?? 0
        let largest = ticks.map { Swift.abs($0.value) }.max() ?? 0
        let scientific = largest >= 1e6 || exponent < -4
        return ticks.map { scientific ? self.scientific($0, bareUnitMantissa: false) : plain($0) }
    }

    /// Labels for logarithmic ticks: plain when every tick lies in [10⁻³, 10⁴] (0.001 …
    /// 10000), else powers of ten throughout (10⁻⁸, 10⁰, 2×10³), so one axis never mixes
    /// the two forms.
    static func logarithmicLabels(_ ticks: [DecimalValue]) -> [String] {
        let plainRange = 1e-3...1e4
        if ticks.allSatisfy({ plainRange.contains($0.value) }) { return ticks.map(plain) }
        return ticks.map { scientific($0, bareUnitMantissa: true) }
    }

    /// The decimal written out in full: 1250, 0.050, −3.
    static func plain(_ number: DecimalValue) -> String {
        if number.significand == 0 { return "0" }
        var digits = String(number.significand.magnitude)
        if number.exponent >= 0 {
            digits += String(repeating: "0", count: number.exponent)
        } else {
            let decimals = -number.exponent
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (number.significand < 0 ? minus : "") + digits
    }

    /// m×10ᵉ with the mantissa's trailing zeros dropped; 10ᵉ alone when m = 1 and
    /// `bareUnitMantissa`.
    static func scientific(_ number: DecimalValue, bareUnitMantissa: Bool = true) -> String {
        if number.significand == 0 { return "0" }
        var digits = String(number.significand.magnitude)
        var exponent = number.exponent
        while digits.count > 1 && digits.hasSuffix("0") {
            digits.removeLast()
            exponent += 1
        }
        exponent += digits.count - 1
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let power = "10" + superscript(exponent)
        let sign = number.significand < 0 ? minus : ""
        return sign + (mantissa == "1" && bareUnitMantissa ? power : mantissa + "×" + power)
    }

    static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(exponent.magnitude).map { digits[Int($0.asciiValue! - 48)] }
        return (exponent < 0 ? "⁻" : "") + String(body)
    }

    /// `value` rounded to `decimals` places (correctly rounded by the C library, so the
    /// same on every run), with a true minus sign and no sign on a rounded zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        if let special = nonFinite(value) { return special }
        if Swift.abs(value) >= 1e15 { return significant(value, digits: 3) }
        let text = String(format: "%.*f", max(0, min(decimals, 12)), value)
        return signed(text)
    }

    /// `value` to `digits` significant digits: plain between 10⁻³ and 10⁶, else scientific;
    /// trailing zeros after the point are dropped (0.25, not 0.250).
    static func significant(_ value: Double, digits: Int) -> String {
        if let special = nonFinite(value) { return special }
        if value == 0 { return "0" }
        let digits = max(1, min(digits, 17))
        // "%.*e" gives d.ddde±XX, correctly rounded.
        let parts = String(format: "%.*e", digits - 1, value).split(separator: "e")
        let exponent = Int(parts[1])!
        let mantissaDigits = parts[0].filter(\.isNumber)
        let significand = Int(mantissaDigits)! * (value < 0 ? -1 : 1)
        var decimal = DecimalValue(significand: significand, exponent: exponent - (digits - 1))
        while decimal.significand != 0 && decimal.significand % 10 == 0 && decimal.exponent < 0 {
            decimal = DecimalValue(significand: decimal.significand / 10, exponent: decimal.exponent + 1)
        }
        return (-3..<6).contains(exponent) ? plain(decimal) : scientific(decimal, bareUnitMantissa: false)
    }

    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? minus + "∞" : "∞" }
        return nil
    }

    private static func signed(_ text: String) -> String {
        guard text.hasPrefix("-") else { return text }
        let body = text.dropFirst()
        return body.allSatisfy { $0 == "0" || $0 == "." } ? String(body) : minus + body
    }
}
