#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One claim an experiment tests, with the figure this run measured and the verdict computed
/// from the numbers (never written in advance). Encodes as `{claim, measured, verdict,
/// supported}`; a document without `verdict` reads `supported` as supported / not supported.
public struct Claim: Codable, Hashable, Sendable {
    /// The claim in words, with its source and the rule's margin: "ReLU reaches the target
    /// error faster than tanh (Krizhevsky et al. 2012: 6×)".
    public var claim: String
    /// What this run measured, in words and numbers: "4.1× fewer epochs (mean of 3 seeds)".
    public var measured: String
    /// Supported, not supported or inconclusive by the rule the experiment states.
    public var verdict: Verdict

    /// Whether the verdict is `supported`.
    public var supported: Bool { verdict == .supported }

    public init(claim: String, measured: String, verdict: Verdict) {
        self.claim = claim
        self.measured = measured
        self.verdict = verdict
    }

    private enum CodingKeys: String, CodingKey { case claim, measured, verdict, supported }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        claim = try container.decode(String.self, forKey: .claim)
        measured = try container.decode(String.self, forKey: .measured)
        verdict = try container.decodeIfPresent(Verdict.self, forKey: .verdict)
            ?? (try container.decode(Bool.self, forKey: .supported) ? .supported : .notSupported)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(claim, forKey: .claim)
        try container.encode(measured, forKey: .measured)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(supported, forKey: .supported)
    }

    /// `claims` with every verdict replaced by "too few seeds for a verdict" when `seeds` is
    /// under ``Verdict/minimumSeeds`` (the measured figures stay).
    public static func judged(_ claims: [Claim], seeds: Int) -> [Claim] {
        guard seeds < Verdict.minimumSeeds else { return claims }
        return claims.map { var claim = $0; claim.verdict = .tooFewSeeds; return claim }
    }
}

/// A plot an experiment wrote next to its JSON (an SVG file in the same directory).
public struct FigureReference: Codable, Hashable, Sendable {
    /// The file name, relative to the output directory: "efficiency-epochs.svg".
    public var file: String
    /// One or two sentences saying what the figure shows and how to read it.
    public var caption: String

    public init(file: String, caption: String) {
        self.file = file
        self.caption = caption
    }
}

/// A small table for the report (already formatted cells).
public struct ResultTable: Codable, Hashable, Sendable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]

    public init(title: String, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The table as CSV (RFC 4180 quoting), header first.
    public var csv: String {
        ([columns] + rows).map { $0.map(Self.quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The JSON document every experiment writes as `DIR/NAME.json`: the envelope the report
/// reads (name, title, summary, settings, claims, figures, tables) around the experiment's
/// own raw numbers under `results`.
///
/// The report (`index.html`) is built from these envelopes alone, so an experiment added
/// later appears in it without changes to the report.
public struct ExperimentDocument<Results: Codable & Sendable>: Codable, Sendable {
    /// The command's name: `rectifier experiment NAME` writes `NAME.json`.
    public var experiment: String
    public var title: String
    /// A paragraph: what was run and how to read the result.
    public var summary: String
    /// The settings of this run (seeds, epochs, architecture, data, threads, version).
    public var settings: [String: String]
    public var claims: [Claim]
    public var figures: [FigureReference]
    public var tables: [ResultTable]
    /// Seconds the whole experiment took.
    public var wallSeconds: Double
    /// Runs and diverged runs per setting, for experiments that train (nil for the others,
    /// and in documents written before the count existed).
    public var divergedRuns: [DivergenceCount]?
    /// The raw numbers (every seed, every epoch): the experiment's own type.
    public var results: Results

    public init(
        experiment: String, title: String, summary: String, settings: [String: String],
        claims: [Claim], figures: [FigureReference], tables: [ResultTable],
        wallSeconds: Double = 0, divergedRuns: [DivergenceCount]? = nil, results: Results
    ) {
        self.experiment = experiment
        self.title = title
        self.summary = summary
        self.settings = settings
        self.claims = claims
        self.figures = figures
        self.tables = tables
        self.wallSeconds = wallSeconds
        self.divergedRuns = divergedRuns
        self.results = results
    }
}

/// The envelope without the raw numbers, for readers (the report) that do not know each
/// experiment's result type.
public typealias ExperimentEnvelope = ExperimentDocument<IgnoredResults>

/// Decodes any `results` value and keeps nothing.
public struct IgnoredResults: Codable, Sendable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}
