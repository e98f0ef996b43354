import Experiments

/// The claims and their verdicts as an aligned table for the terminal: one row per claim
/// (verdict, experiment, claim) with the measured figure on the line below.
enum ClaimTable {
    static func text(_ claims: [(experiment: String, claim: Claim)]) -> String {
        let verdictWidth = claims.map { $0.claim.verdict.mark.count + 1 + $0.claim.verdict.rawValue.count }.max() ?? 7
        let experimentWidth = max(claims.map(\.experiment.count).max() ?? 0, "experiment".count)
        let pad = { (text: String, width: Int) in text.padded(to: width) }
        var lines = [
            "Claims: ✓ supported, ✗ not supported, ? inconclusive, – too few seeds for a verdict",
            pad("verdict", verdictWidth) + "  " + pad("experiment", experimentWidth) + "  claim",
            String(repeating: "─", count: verdictWidth + experimentWidth + 11),
        ]
        for (experiment, claim) in claims {
            lines.append(
                pad(claim.verdict.mark + " " + claim.verdict.rawValue, verdictWidth) + "  " + pad(experiment, experimentWidth)
                    + "  " + claim.claim)
            lines.append(String(repeating: " ", count: verdictWidth + experimentWidth + 4) + "measured: " + claim.measured)
        }
        return lines.joined(separator: "\n")
    }
}
