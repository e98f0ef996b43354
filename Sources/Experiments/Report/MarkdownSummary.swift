#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `summary.md`: the claims and verdicts as Markdown tables, for terminals and READMEs.
enum MarkdownSummary {
    static func render(_ contents: Report.Contents) -> String {
        var text = "# Rectifier experiments: summary\n\n"
        guard !contents.experiments.isEmpty else {
            return text + "No experiment results yet: run `rectifier run`.\n"
        }
        text += "| experiment | claim | measured | verdict |\n|---|---|---|---|\n"
        for experiment in contents.experiments {
            for claim in experiment.claims {
                text += "| \(cell(experiment.experiment)) | \(cell(claim.claim)) | \(cell(claim.measured)) | "
                    + claim.verdict.mark + " " + claim.verdict.rawValue + " |\n"
            }
        }
        for experiment in contents.experiments {
            text += "\n## \(experiment.title)\n\n\(experiment.summary)\n"
            for table in experiment.tables {
                text += "\n**\(table.title)**\n\n| " + table.columns.map(cell).joined(separator: " | ") + " |\n|"
                    + String(repeating: "---|", count: table.columns.count) + "\n"
                for row in table.rows { text += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            }
            let settings = experiment.settings.keys.sorted().map { "\($0) \(experiment.settings[$0]!)" }
            text += "\nSettings: " + settings.joined(separator: "; ")
                + "; wall time \(SeedStatistics.fixed(experiment.wallSeconds, decimals: 1)) s.\n"
        }
        return text
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
