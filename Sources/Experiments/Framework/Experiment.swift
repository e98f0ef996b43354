import Runtime

/// An experiment in four steps: choose the configuration (short or long version), list the
/// trials, measure each trial on its own, and describe the measurements (claims computed from
/// the numbers, figures, tables) as one document, `DIR/NAME.json`.
///
/// The trials are independent: each reads only the configuration and the prepared inputs and
/// draws its randomness from its own seed. Measuring any subset of them (in another process,
/// on another machine) and describing all the measurements in trial order gives the same
/// document as one run; a tuning phase fits in as a step that returns a changed configuration
/// (a learning rate per activation, picked on validation) before the trials are listed.
package protocol Experiment: SendableMetatype {
    /// The settings of a version: what is trained, on how much data, for how long.
    associatedtype Configuration: Sendable
    /// What every trial reads, prepared once (the data, held-out sets).
    associatedtype Inputs
    /// One unit of work (a seed of one setting).
    associatedtype Trial: Sendable
    /// What measuring one trial gives.
    associatedtype Measurement: Codable & Sendable
    /// The document's `results`.
    associatedtype Results: Codable & Sendable

    /// `rectifier experiment NAME`, `DIR/NAME.json`.
    static var name: String { get }
    /// The command's one-line help.
    static var abstract: String { get }
    /// The command's longer help (files written, run time), or nil.
    static var discussion: String? { get }

    /// The short or long version, as `context` says.
    static func configuration(_ context: ExperimentContext) throws -> Configuration
    /// Reads and prepares what the trials share.
    /// - Throws: ``ExperimentError`` naming `--data` when the data is missing or too small.
    static func inputs(_ configuration: Configuration, context: ExperimentContext) throws -> Inputs
    /// Every trial, in the order of the document's results.
    static func trials(_ configuration: Configuration, inputs: Inputs) throws -> [Trial]
    /// Progress units of one trial (its relative cost).
    static func work(_ trial: Trial, configuration: Configuration, inputs: Inputs) -> Double
    /// Measures one trial, advancing `progress` by ``work(_:configuration:inputs:)`` at most.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` when the trial cannot run for a
    ///   reason other than divergence (a diverged run is measured, not thrown).
    static func measure(
        _ trial: Trial, configuration: Configuration, inputs: Inputs, progress: ProgressTask
    ) throws -> Measurement
    /// The document of every trial's measurement (in trial order), with the settings;
    /// `wallSeconds` is left 0. Figures are written into `context.output`.
    static func describe(
        _ measurements: [Measurement], configuration: Configuration, inputs: Inputs, context: ExperimentContext
    ) throws -> ExperimentDocument<Results>
}

extension Experiment {
    package static var discussion: String? { nil }

    package static func work(_ trial: Trial, configuration: Configuration, inputs: Inputs) -> Double { 1 }

    /// Measures every trial in order, reporting to `progress` as one task.
    package static func measureAll(
        configuration: Configuration, inputs: Inputs, progress: ProgressReporter = .silent
    ) throws -> [Measurement] {
        let trials = try trials(configuration, inputs: inputs)
        return try measure(
            Array(trials.indices), of: trials, label: name, configuration: configuration, inputs: inputs, progress: progress)
    }

    /// Runs `configuration` (the context's version when nil) on `inputs` (read as the
    /// configuration says when nil): measures every trial, describes them and writes
    /// `NAME.json`, its CSV tables and plots.
    /// - Throws: ``ExperimentError`` (missing data, an unwritable directory, a failed trial).
    @discardableResult
    package static func run(
        _ context: ExperimentContext, configuration: Configuration? = nil, inputs: Inputs? = nil
    ) throws -> ExperimentDocument<Results> {
        let started = MonotonicClock.now
        let configuration = try configuration ?? self.configuration(context)
        let inputs = try inputs ?? self.inputs(configuration, context: context)
        let measurements = try measureAll(configuration: configuration, inputs: inputs, progress: context.progress)
        var document = try describe(measurements, configuration: configuration, inputs: inputs, context: context)
        document.wallSeconds = MonotonicClock.now - started
        document.claims = Claim.judged(document.claims, seeds: context.seeds)
        try context.output.write(document)
        return document
    }
}

/// One experiment as `rectifier run`, `rectifier experiment` and the report know it.
public struct RegisteredExperiment: Sendable {
    /// `rectifier experiment NAME`, `DIR/NAME.json`.
    public let name: String
    /// The command's help.
    public let abstract: String, discussion: String?
    /// Runs the experiment (short or long as the context says, on the context's threads),
    /// writes its files and returns the claims.
    public let run: @Sendable (ExperimentContext) throws -> [Claim]
    /// Measures one shard of the trials (short or long as the context says) and writes
    /// `DIR/NAME.shard-K-of-N.json`, recording the program's version (the last argument).
    public let runShard: @Sendable (ExperimentContext, Shard, String) throws -> ShardOutcome
    /// Merges the shard files (paths) of one run of the version the context says into the
    /// context's directory, as the program of the given version, and returns the claims.
    public let merge: @Sendable ([String], ExperimentContext, String) throws -> [Claim]

    package init<E: Experiment>(_ experiment: E.Type) {
        name = E.name
        abstract = E.abstract
        discussion = E.discussion
        run = { context in try Execution(threads: context.threads).run { try E.run(context).claims } }
        runShard = { context, shard, version in
            try Execution(threads: context.threads).run { try E.runShard(context, shard: shard, version: version) }
        }
        merge = { paths, context, version in
            try Execution(threads: context.threads).run { try E.merge(paths, context: context, version: version).claims }
        }
    }
}

/// Every experiment `rectifier run` runs (short versions) and `rectifier run --full` runs
/// (long versions), in this order. Add an experiment with one line.
public enum ExperimentRegistry {
    public static let all: [RegisteredExperiment] = [
        RegisteredExperiment(EfficiencyExperiment.self),
        RegisteredExperiment(ConvolutionalExperiment.self),
        RegisteredExperiment(CostExperiment.self),
        RegisteredExperiment(DepthExperiment.self),
        RegisteredExperiment(InitialisationExperiment.self),
        RegisteredExperiment(DeadUnitsExperiment.self),
        RegisteredExperiment(PrecisionExperiment.self),
        RegisteredExperiment(LeakyUnitsExperiment.self),
    ]

    /// The side-by-side Fashion-MNIST comparison `rectifier run` starts with.
    public static let comparison = RegisteredExperiment(SideBySideComparison.self)

    /// The experiment called `name`, or nil.
    public static func named(_ name: String) -> RegisteredExperiment? {
        all.first { $0.name == name }
    }

    /// The experiment or the comparison called `name` (what a merge takes), or nil.
    public static func any(named name: String) -> RegisteredExperiment? {
        name == comparison.name ? comparison : named(name)
    }
}

/// The raw numbers of a grid experiment (depth, initialisation, dead units): its settings and
/// every run, in trial order. Encodes as `{"configuration": …, "runs": […]}`.
package struct GridResults<Configuration: Codable & Equatable & Sendable, Run: Codable & Equatable & Sendable>:
    Codable, Equatable, Sendable
{
    package let configuration: Configuration
    package let runs: [Run]

    package init(configuration: Configuration, runs: [Run]) {
        self.configuration = configuration
        self.runs = runs
    }
}

extension Experiment where Inputs == ExperimentData, Results == GridResults<Configuration, Measurement> {
    /// Every run of `configuration` on `data`, without writing anything.
    package static func measure(
        configuration: Configuration, data: ExperimentData, progress: ProgressReporter = .silent
    ) throws -> Results {
        GridResults(configuration: configuration, runs: try measureAll(configuration: configuration, inputs: data, progress: progress))
    }
}

/// Settings that say how many training and validation images their runs draw.
package protocol SizedConfiguration {
    var sizes: ExperimentData.Sizes { get }
}

extension SizedConfiguration {
    /// The measuring seeds of `count` (at least one): `0..<max(1, count)`.
    static func seedList(_ count: Int) -> [UInt64] { (0..<UInt64(Swift.max(1, count))).map { $0 } }
}

/// Settings with a short version (part of `rectifier run`) and a long one (`--full`).
package protocol VersionedConfiguration {
    init(seeds: Int, full: Bool)
}

extension Experiment where Configuration: VersionedConfiguration {
    /// The context's version, with its seeds.
    package static func configuration(_ context: ExperimentContext) throws -> Configuration {
        Configuration(seeds: context.seeds, full: context.full)
    }
}

extension Experiment where Configuration: SizedConfiguration, Inputs == ExperimentData {
    /// The images the configuration draws (``ExperimentContext/data(_:)``).
    package static func inputs(_ configuration: Configuration, context: ExperimentContext) throws -> ExperimentData {
        try context.data(configuration.sizes)
    }
}
