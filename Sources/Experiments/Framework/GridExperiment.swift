import Runtime

/// The settings of a grid experiment: a short version (part of `rectifier run`) and a long one
/// (`--full`), each naming how many Fashion-MNIST training images it draws.
public protocol GridConfiguration: Codable, Equatable, Sendable {
    /// The short version, with seeds `0..<seeds`.
    static func short(seeds: Int) -> Self
    /// The long version, with seeds `0..<seeds`.
    static func full(seeds: Int) -> Self
    /// Training and validation images drawn from Fashion-MNIST's training set.
    var trainingSamples: Int { get }
    var validationSamples: Int { get }
}

extension GridConfiguration {
    /// The short or long version, as `context` says.
    public static func chosen(by context: ExperimentContext) -> Self {
        context.full ? full(seeds: context.seeds) : short(seeds: context.seeds)
    }
}

/// The raw numbers of a grid experiment: its settings and every run, in the experiment's
/// order. Encodes as `{"configuration": …, "runs": […]}`.
public struct GridResults<Configuration: GridConfiguration, Run: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public let configuration: Configuration
    public let runs: [Run]

    public init(configuration: Configuration, runs: [Run]) {
        self.configuration = configuration
        self.runs = runs
    }
}

/// An experiment that trains a grid of runs (activations × a swept setting × seeds) on images
/// from Fashion-MNIST and writes one document: depth, initialisation and dead units.
///
/// Each supplies the two steps that are its own: ``measure(configuration:data:progress:)``
/// (train every run, write nothing) and ``describe(_:output:)`` (the document of a set of
/// results: claims computed from the numbers, figures, tables); the protocol runs them in
/// order, adds the run's common settings and wall time, and writes `NAME.json`. `describe`
/// also rebuilds the document and figures of results read back from an earlier run.
public protocol GridExperiment: SendableMetatype {
    associatedtype Configuration: GridConfiguration
    associatedtype Run: Codable & Equatable & Sendable

    /// The name of the command and of its files (`NAME.json`, `NAME-*.svg`).
    static var name: String { get }

    /// Trains and measures every run of `configuration` on `data`, without writing anything.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible
    ///   configuration, ``ExperimentError/failed(experiment:reason:)`` when a run fails for a
    ///   reason other than divergence (a diverged run is recorded, not thrown).
    static func measure(
        configuration: Configuration, data: ExperimentData, progress: ProgressReporter
    ) throws(ExperimentError) -> GridResults<Configuration, Run>

    /// The document of `results`: title, summary, the experiment's own settings, the claims
    /// computed from the numbers, the figures (written into `output`) and the tables;
    /// `wallSeconds` is 0 (``run(_:configuration:data:)`` sets it and adds the common settings).
    /// - Throws: ``ExperimentError`` when a figure cannot be written.
    static func describe(
        _ results: GridResults<Configuration, Run>, output: ExperimentOutput
    ) throws(ExperimentError) -> ExperimentDocument<GridResults<Configuration, Run>>
}

extension GridExperiment {
    /// Runs the short or long version (as `context` says) and writes `NAME.json`, its CSV
    /// tables and plots.
    /// - Throws: ``ExperimentError`` (missing data, an unwritable directory, a failed run).
    @discardableResult
    public static func run(
        _ context: ExperimentContext
    ) throws(ExperimentError) -> ExperimentDocument<GridResults<Configuration, Run>> {
        let configuration = Configuration.chosen(by: context)
        let data = try context.data(.init(training: configuration.trainingSamples, validation: configuration.validationSamples))
        return try run(context, configuration: configuration, data: data)
    }

    /// Runs `configuration` on `data`, writes the files into the context's output, and
    /// returns the document.
    /// - Throws: as ``run(_:)``.
    @discardableResult
    public static func run(
        _ context: ExperimentContext, configuration: Configuration, data: ExperimentData
    ) throws(ExperimentError) -> ExperimentDocument<GridResults<Configuration, Run>> {
        let started = MonotonicClock.now
        let results = try measure(configuration: configuration, data: data, progress: context.progress)
        var document = try describe(results, output: context.output)
        document.settings = context.settings(adding: document.settings, data: data)
        document.wallSeconds = MonotonicClock.now - started
        try context.output.write(document)
        return document
    }

    /// The registry's entry, with `summary` as the one-line help.
    public static func registered(summary: String) -> RegisteredExperiment {
        RegisteredExperiment(name: name, summary: summary, run: { context in try run(context) })
    }
}
