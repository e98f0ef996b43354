import ArgumentParser
import Experiments

/// `rectifier experiment NAME …`: one subcommand per claim (see docs/EXPERIMENTS.md).
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Measure one of the classic claims about rectifiers; writes DIR/NAME.json, CSV and plots.",
        subcommands: [
            ExperimentPrecisionCommand.self,
            ExperimentLeakyUnitsCommand.self,
            EfficiencyExperimentCommand.self,
            CostExperimentCommand.self,
            ExperimentDepthCommand.self,
            ExperimentInitialisationCommand.self,
            ExperimentDeadUnitsCommand.self,
        ])
}

/// `rectifier experiment efficiency`: claims 1 and 7 (training error against epochs and time).
struct EfficiencyExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "efficiency",
        abstract: "Training error vs epochs and seconds for six activations; ReLU over tanh (claims 1, 7).")

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(EfficiencyExperiment.registration) }
}

/// `rectifier experiment cost`: claim 5 (ns/element, share of a training step).
struct CostExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "ns/element of each activation and its share of a training step (claim 5).")

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(CostExperiment.registration) }
}

/// The options every experiment takes.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Directory for NAME.json, the CSV files, the plots and index.html.")
    var out = "report"

    @Option(help: "Seeds per configuration (≥ 1; the claims need ≥ 3 for a spread).")
    var seeds = 3

    @Flag(help: "Run the long version (more epochs, more data) instead of the short one.")
    var full = false

    @Option(help: "Threads for BLAS and the kernels (default: all processors).")
    var threads: Int?

    @Option(help: "Directory with the MNIST-format files (default: Debian's Fashion-MNIST).")
    var data: String?

    /// The most seeds `--seeds` accepts (each seed is a whole set of training runs).
    static let maximumSeeds = 1000

    func validate() throws {
        if !(1...Self.maximumSeeds).contains(seeds) {
            throw ValidationError("--seeds \(seeds) is not allowed (1…\(Self.maximumSeeds))")
        }
        try requireThreadCount(threads)
        if out.isEmpty { throw ValidationError("--out must name a directory") }
    }

    /// Fails before any work unless `--out` is, or can be made, a directory to write in.
    func checkOutput() throws {
        try CommandFiles.requireWritableDirectory(out, flag: "--out")
    }

    /// The context the options describe, reporting progress on the terminal; `--out` is
    /// checked first, and made when missing.
    func context() throws -> ExperimentContext {
        try checkOutput()
        return try ExperimentContext(
            outputDirectory: out, seeds: seeds, full: full, threads: threads, dataDirectory: data,
            progress: TerminalProgress.reporter())
    }

    /// Runs `experiment` in the options' context, then rebuilds DIR/index.html and
    /// DIR/summary.md from every experiment found in DIR.
    func run(_ experiment: RegisteredExperiment) throws {
        let context = try context()
        try experiment.run(context)
        let report = try Report.write(directory: out)
        print("wrote \(context.output.path(experiment.name + ".json")) and \(report.html)")
    }
}
