/// Tables whose CSV columns are numbers: one row per setting and figure with `mean`, `sd` and
/// `n` (the seeds with a finite value), and one row per seed with the raw values. An empty
/// cell is a missing value (a diverged run, a target never reached).
package enum SeedTable {
    /// One figure of one setting over seeds.
    package struct Row {
        /// The setting's cells (optimiser, activation, rate, …), one per setting column.
        package var setting: [String]
        package var figure: String
        package var values: [Double]
    }

    /// The table of `rows`: setting columns, `figure`, `mean`, `sd`, `n`.
    package static func summary(title: String, settingColumns: [String], rows: [Row]) -> ResultTable {
        ResultTable(
            title: title, columns: settingColumns + ["figure", "mean", "sd", "n"],
            rows: rows.map { row in
                let statistics = SeedStatistics(row.values)
                return row.setting + [
                    row.figure, number(statistics.mean), statistics.count > 1 ? number(statistics.standardDeviation) : "",
                    "\(statistics.count)",
                ]
            })
    }

    /// `value` with 6 significant digits in plain or exponent notation; "" when not finite.
    package static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == 0 { return "0" }
        let magnitude = Swift.abs(value)
        if magnitude >= 1e-4 && magnitude < 1e7 {
            return SeedStatistics.fixed(value, decimals: Swift.max(0, 5 - Int(magnitudeExponent(magnitude))))
        }
        return "\(value)"
    }

    private static func magnitudeExponent(_ magnitude: Double) -> Double {
        var exponent = 0.0, scaled = magnitude
        while scaled >= 10 { scaled /= 10; exponent += 1 }
        while scaled < 1 { scaled *= 10; exponent -= 1 }
        return exponent
    }
}
