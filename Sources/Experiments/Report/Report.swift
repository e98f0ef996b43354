import Interchange

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The report of an output directory: every experiment envelope (`*.json` decoding as
/// ``ExperimentEnvelope``) gathered into `index.html` (one self-contained page, figures
/// inlined as SVG) and `summary.md` (the same verdicts in Markdown).
public enum Report {
    /// The envelopes found in a directory, and the JSON files that were not envelopes.
    public struct Contents: Sendable {
        /// Decoded envelopes in report order (the side-by-side comparison, ``ExperimentRegistry``
        /// order, then the rest by name).
        public var experiments: [ExperimentEnvelope]
        /// JSON files in the directory that are not experiment envelopes, with the reason.
        public var skipped: [String]
        /// The SVG text of each figure file that exists, by file name.
        public var figures: [String: String]
    }

    /// Reads every `*.json` in `directory` (but shard files, `NAME.shard-K-of-N.json`) and the
    /// figures they list.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` when the directory cannot be listed.
    public static func read(directory: String) throws(ExperimentError) -> Contents {
        let names = try ExperimentOutput.names(in: directory, for: "report")
        var experiments: [ExperimentEnvelope] = [], skipped: [String] = [], figures: [String: String] = [:]
        for name in names where name.hasSuffix(".json") && !Shard.isShardFile(name) {
            guard let data = FileManager.default.contents(atPath: ExperimentOutput.path(name, in: directory)) else {
                skipped.append("\(name): unreadable")
                continue
            }
            do {
                let envelope = try ExperimentJSON.decoder().decode(ExperimentEnvelope.self, from: data)
                experiments.append(envelope)
                for figure in envelope.figures {
                    if let svg = FileManager.default.contents(atPath: ExperimentOutput.path(figure.file, in: directory)) {
                        figures[figure.file] = String(decoding: svg, as: UTF8.self)
                    }
                }
            } catch {
                skipped.append("\(name): not an experiment document")
            }
        }
        let order = [SideBySideComparison.name] + ExperimentRegistry.all.map(\.name)
        experiments.sort { left, right in
            let l = order.firstIndex(of: left.experiment) ?? order.count
            let r = order.firstIndex(of: right.experiment) ?? order.count
            return l != r ? l < r : left.experiment < right.experiment
        }
        return Contents(experiments: experiments, skipped: skipped, figures: figures)
    }

    /// Writes `DIR/index.html` and `DIR/summary.md` atomically from the directory's envelopes;
    /// returns their paths.
    /// - Throws: ``ExperimentError`` when the directory cannot be read or written.
    @discardableResult
    public static func write(directory: String) throws(ExperimentError) -> (html: String, markdown: String) {
        let output = try ExperimentOutput(directory: directory)
        let contents = try read(directory: directory)
        try output.write(text: HTMLReport.render(contents), to: "index.html")
        try output.write(text: MarkdownSummary.render(contents), to: "summary.md")
        return (output.path("index.html"), output.path("summary.md"))
    }
}

