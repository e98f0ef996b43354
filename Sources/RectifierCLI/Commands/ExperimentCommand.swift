import ArgumentParser

/// `rectifier experiment NAME …`: one subcommand per claim (see docs/EXPERIMENTS.md).
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Measure one of the classic claims about rectifiers; writes DIR/NAME.json, CSV and plots.",
        subcommands: [
            ExperimentDepthCommand.self,
            ExperimentInitialisationCommand.self,
            ExperimentDeadUnitsCommand.self,
        ])
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

    func validate() throws {
        if seeds < 1 { throw ValidationError("--seeds \(seeds) is not allowed (≥ 1)") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads) is not allowed (≥ 1)") }
        if out.isEmpty { throw ValidationError("--out must name a directory") }
    }
}
