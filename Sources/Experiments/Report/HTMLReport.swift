#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `index.html`: one page, no script, no network, and well-formed XML (so any XML reader can
/// check it). A headline table of every claim, then one
/// section per experiment with its claims, figures (inline SVG), tables and settings.
/// Verdicts are written as words with a mark (✓ supported / ✗ not supported / ? inconclusive / – too few seeds for a verdict), so they read
/// without colour.
enum HTMLReport {
    static func render(_ contents: Report.Contents) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>Rectifier experiments</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            <h1>Rectifier: the classic claims about rectifiers, measured</h1>

            """
        let claimCount = contents.experiments.reduce(0) { $0 + $1.claims.count }
        let verdicts = contents.experiments.flatMap { $0.claims.map(\.verdict) }
        let counts = [Verdict.supported, .notSupported, .inconclusive, .tooFewSeeds].compactMap { (verdict: Verdict) -> String? in
            let count = verdicts.filter { $0 == verdict }.count
            return count > 0 || verdict == .supported || verdict == .notSupported ? "\(count) \(verdict.rawValue)" : nil
        }
        html += "<p class=\"lead\">\(contents.experiments.count) experiments, \(claimCount) claims: "
            + counts.joined(separator: ", ") + " by this run. "
            + "Each verdict is computed from the numbers by the rule the experiment states.</p>\n"
        html += headline(contents.experiments)
        if !contents.experiments.isEmpty {
            html += "<nav aria-label=\"experiments\"><ul>"
            for experiment in contents.experiments {
                html += "<li><a href=\"#\(anchor(experiment.experiment))\">\(escape(experiment.title))</a></li>"
            }
            html += "</ul></nav>\n"
        }
        for experiment in contents.experiments {
            html += section(experiment, figures: contents.figures)
        }
        if !contents.skipped.isEmpty {
            html += "<footer><p>Other JSON files in the directory, not experiments: "
                + contents.skipped.map(escape).joined(separator: "; ") + "</p></footer>\n"
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func headline(_ experiments: [ExperimentEnvelope]) -> String {
        guard !experiments.isEmpty else {
            return "<p>No experiment results in this directory yet: run <code>rectifier run</code>.</p>\n"
        }
        var html = "<table class=\"headline\">\n<caption>Every claim and this run's verdict</caption>\n"
            + "<thead><tr><th scope=\"col\">Experiment</th><th scope=\"col\">Claim</th>"
            + "<th scope=\"col\">Measured</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n"
        for experiment in experiments {
            for claim in experiment.claims {
                html += "<tr><td><a href=\"#\(anchor(experiment.experiment))\">\(escape(experiment.experiment))</a></td>"
                    + "<td>\(escape(claim.claim))</td><td>\(escape(claim.measured))</td>"
                    + verdictCell(claim.verdict) + "</tr>\n"
            }
        }
        return html + "</tbody>\n</table>\n"
    }

    private static func verdictCell(_ verdict: Verdict) -> String {
        let style: String
        switch verdict {
        case .supported: style = "supported"
        case .notSupported: style = "refuted"
        case .inconclusive, .tooFewSeeds: style = "open"
        }
        return "<td class=\"verdict \(style)\"><span aria-hidden=\"true\">\(verdict.mark)</span> \(verdict.rawValue)</td>"
    }

    private static func section(_ experiment: ExperimentEnvelope, figures: [String: String]) -> String {
        var html = "<section id=\"\(anchor(experiment.experiment))\">\n"
            + "<h2>\(escape(experiment.title)) <small>(<code>\(escape(command(for: experiment.experiment)))</code>)</small></h2>\n"
            + "<p>\(escape(experiment.summary))</p>\n"
        if !experiment.claims.isEmpty {
            html += "<table class=\"claims\"><caption>Claims</caption><thead><tr><th scope=\"col\">Claim</th>"
                + "<th scope=\"col\">Measured</th><th scope=\"col\">Verdict</th></tr></thead><tbody>\n"
            for claim in experiment.claims {
                html += "<tr><td>\(escape(claim.claim))</td><td>\(escape(claim.measured))</td>"
                    + verdictCell(claim.verdict) + "</tr>\n"
            }
            html += "</tbody></table>\n"
        }
        let diverged = (experiment.divergedRuns ?? []).filter { $0.diverged > 0 }
        if !diverged.isEmpty {
            html += "<p class=\"diverged\">Diverged runs (each counted as a failure of its setting): "
                + diverged.map { "\(escape($0.setting)) \($0.diverged) of \($0.runs)" }.joined(separator: "; ") + ".</p>\n"
        }
        for figure in experiment.figures {
            html += "<figure>\n"
            if let svg = figures[figure.file] {
                html += inlineSVG(svg) + "\n"
            } else {
                html += "<p class=\"missing\">(figure file \(escape(figure.file)) not found)</p>\n"
            }
            html += "<figcaption>\(escape(figure.caption))</figcaption>\n</figure>\n"
        }
        for table in experiment.tables {
            html += "<div class=\"scroll\"><table><caption>\(escape(table.title))</caption><thead><tr>"
                + table.columns.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in table.rows {
                html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
            }
            html += "</tbody></table></div>\n"
        }
        html += "<details><summary>Settings</summary><dl>"
        for key in experiment.settings.keys.sorted() {
            html += "<dt>\(escape(key))</dt><dd>\(escape(experiment.settings[key]!))</dd>"
        }
        html += "<dt>wall time</dt><dd>\(SeedStatistics.fixed(experiment.wallSeconds, decimals: 1)) s</dd>"
        html += "</dl></details>\n</section>\n"
        return html
    }

    /// The command that writes `name`.json: `rectifier experiment NAME` for registered
    /// experiments, `rectifier run` for the side-by-side comparison and anything else.
    static func command(for name: String) -> String {
        ExperimentRegistry.named(name) != nil ? "rectifier experiment \(name)" : "rectifier run"
    }

    /// The SVG element of a figure file, without an XML declaration or doctype.
    static func inlineSVG(_ text: String) -> String {
        guard let start = text.range(of: "<svg") else { return "<p class=\"missing\">(not an SVG file)</p>" }
        return String(text[start.lowerBound...]).trimmingTrailingWhitespace
    }

    static func anchor(_ name: String) -> String {
        "experiment-" + String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    private static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.45}
        main{max-width:1100px;margin:0 auto;padding:1.5rem}
        h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc;padding-bottom:.3rem}
        h2 small{font-weight:normal;font-size:.8rem;color:#555}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
        caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#f2f2f2}
        .verdict{white-space:nowrap;font-weight:600}
        .supported{background:#e6f4ea}.refuted{background:#fde8e8}.open{background:#f4f1e0}
        figure{margin:1.5rem 0}figure svg{max-width:100%;height:auto}
        figcaption{font-size:.9rem;color:#333;max-width:80ch}
        .scroll{overflow-x:auto}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;font-size:.9rem}
        dt{font-weight:600}dd{margin:0}
        nav ul{columns:2;padding-left:1.2rem}
        .missing{color:#8a1c1c}
        """
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
