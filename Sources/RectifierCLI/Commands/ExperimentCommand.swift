import Activations
import ArgumentParser
import Experiments
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `rectifier experiment NAME …`: one subcommand per experiment, each made from the
/// experiment's own name and help (see docs/EXPERIMENTS.md).
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Measure one of the classic claims about rectifiers; writes DIR/NAME.json, CSV and plots.",
        subcommands: [
            ExperimentSubcommand<PrecisionExperiment>.self,
            ExperimentLeakyUnitsCommand.self,
            ExperimentSubcommand<EfficiencyExperiment>.self,
            ExperimentSubcommand<ConvolutionalExperiment>.self,
            ExperimentSubcommand<CostExperiment>.self,
            ExperimentSubcommand<DepthExperiment>.self,
            ExperimentSubcommand<InitialisationExperiment>.self,
            ExperimentSubcommand<DeadUnitsExperiment>.self,
        ])
}

/// `rectifier experiment NAME` for an experiment that takes only the common options.
struct ExperimentSubcommand<E: Experiment>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: E.name, abstract: E.abstract, discussion: E.discussion ?? "")
    }

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(RegisteredExperiment(E.self)) }
}

/// The options every experiment takes.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Directory for NAME.json, the CSV files, the plots and index.html.")
    var out = "report"

    @Option(help: "Seeds per configuration (default 3, or 5 with --full; fewer than 3 give no verdict).")
    var seeds: Int?

    @Flag(help: "Run the long version (more epochs, more data) instead of the short one.")
    var full = false

    @Option(help: "Threads for BLAS and the kernels (default: all processors).")
    var threads: Int?

    @Option(help: "The data, in any form train reads: a directory of MNIST-format files (default: Debian's Fashion-MNIST), a .csv, .npz or .npy file, or a folder of PNG class folders.")
    var data: String?

    @Option(help: ArgumentHelp(
        "Measure only the K-th of N slices of the trials and write DIR/NAME.shard-K-of-N.json (K/N, or auto: from a Slurm job array or a Kubernetes Indexed Job); `rectifier report --merge` puts the slices together.",
        valueName: "K/N|auto"))
    var shard: String?

    /// `--seeds`, or its default: 3 for the short versions, 5 for the long ones.
    var seedCount: Int { seeds ?? (full ? 5 : 3) }

    /// The most seeds `--seeds` accepts (each seed is a whole set of training runs).
    static let maximumSeeds = 1000

    func validate() throws {
        if let seeds, !(1...Self.maximumSeeds).contains(seeds) {
            throw ValidationError("--seeds \(seeds) is not allowed (1…\(Self.maximumSeeds))")
        }
        try requireThreadCount(threads)
        if out.isEmpty { throw ValidationError("--out must name a directory") }
        _ = try parsedShard()
    }

    /// The `--shard` slice, or nil.
    func parsedShard() throws -> Shard? {
        guard let shard else { return nil }
        do {
            return try Shard(parsing: shard, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The context the options describe, reporting progress on the terminal; `--out` is
    /// checked first (before any work), and made when missing.
    func context() throws -> ExperimentContext {
        try CommandFiles.requireWritableDirectory(out, flag: "--out")
        return try ExperimentContext(
            outputDirectory: out, seeds: seedCount, full: full, threads: threads, dataDirectory: data,
            progress: TerminalProgress.reporter())
    }

    /// Runs `experiment` in the options' context, prints its verdicts, then rebuilds
    /// DIR/index.html and DIR/summary.md from every experiment found in DIR.
    /// With `--shard`, measures the slice and writes its file instead.
    func run(_ experiment: RegisteredExperiment) throws {
        let context = try context()
        if let shard = try parsedShard() {
            reportShard(try experiment.runShard(context, shard, rectifierVersion), shard: shard)
            return
        }
        try finish(experiment.name, claims: try experiment.run(context), context: context)
    }

    func reportShard(_ outcome: ShardOutcome, shard: Shard) {
        print("wrote \(outcome.path): shard \(shard), \(outcome.trials) of \(outcome.total) trials")
    }

    func finish(_ name: String, claims: [Claim], context: ExperimentContext) throws {
        let report = try Report.write(directory: out)
        print("wrote \(context.output.path(name + ".json")) and \(report.html)\n")
        print(ClaimTable.text(claims.map { (name, $0) }))
    }
}

/// `rectifier experiment leaky-units`: the common options and the sizes of its runs.
struct ExperimentLeakyUnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: LeakyUnitsExperiment.name, abstract: LeakyUnitsExperiment.abstract,
        discussion: LeakyUnitsExperiment.discussion ?? "")

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Adding-problem training steps per run (default: 300, or 800 with --full).")
    var steps: Int?

    @Option(help: "Comma-separated sequence lengths (default: 50,100,200,400).")
    var lengths: String?

    @Option(help: "Hidden units for the adding problem (default: 32, or 128 with --full).")
    var units: Int?

    @Option(help: "Comma-separated leaks to run, from plain,fixed,multiscale,learned (default: all).")
    var variants: String?

    @Option(help: "Comma-separated activations, e.g. relu,tanh (default: relu,tanh).")
    var activations: String?

    @Flag(help: "Skip timing the BPTT step at hidden 128, batch 64, T = 200.")
    var skipProfile = false

    @Flag(help: "Skip sequential Fashion-MNIST (run the adding problem only; needs no --data).")
    var skipImages = false

    @Option(help: "When a run diverges (a NaN, infinite or over 1000× the mean predictor's training loss): stop it there, counted as diverged (default), or go back to its last checkpoint and halve the learning rate (up to 5 times).")
    var onDivergence: TrainCommand.DivergenceChoice?

    func validate() throws {
        if let units, units < 1 { throw ValidationError("--units \(units) is not allowed (≥ 1)") }
        if let variants {
            let names = Set(LeakyUnitsOptions.standardLeaks.map(\.variantName))
            let chosen = variants.split(separator: ",").map(String.init)
            if chosen.isEmpty || !chosen.allSatisfy(names.contains) {
                throw ValidationError("--variants '\(variants)' is not allowed (comma-separated: plain, fixed, multiscale, learned)")
            }
        }
        if let activations {
            for text in activations.split(separator: ",") { _ = try parseActivation(String(text)) }
        }
        if let steps, steps < 1 { throw ValidationError("--steps \(steps) is not allowed (≥ 1)") }
        if let lengths, parsedLengths(lengths) == nil {
            throw ValidationError("--lengths '\(lengths)' is not allowed (comma-separated integers ≥ 2)")
        }
    }

    /// Refuses sizes whose adding-problem runs need more memory than the machine has,
    /// naming the flags that set them.
    private func requireMemory(_ settings: LeakyUnitsOptions) throws {
        let flags = [units.map { "--units \($0)" }, lengths.map { "--lengths \($0)" }].compactMap { $0 }
        do {
            try MemoryBudget.require(
                settings.addingProblemBytes, for: flags.isEmpty ? "the adding problem" : flags.joined(separator: " "))
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private func parsedLengths(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 2 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        try Execution(threads: options.threads).run { try runWithThreads() }
    }

    /// The experiment's settings as the options give them.
    func settings() throws -> LeakyUnitsOptions {
        var settings = LeakyUnitsOptions(seeds: options.seedCount, full: options.full)
        if let steps { settings.steps = steps }
        if let lengths, let values = parsedLengths(lengths) { settings.lengths = values }
        if let units { settings.units = units }
        if skipProfile { settings.profilesStep = false }
        if skipImages { settings.sequentialImages = nil }
        if let onDivergence { settings.divergence = onDivergence.policy }
        if let variants {
            let chosen = Set(variants.split(separator: ",").map(String.init))
            settings.leaks = settings.leaks.filter { chosen.contains($0.variantName) }
        }
        if let activations {
            settings.activations = try activations.split(separator: ",").map { try parseActivation(String($0)) }
        }
        return settings
    }

    /// The options of this command alone (not the common ones), as a shard file records them.
    var ownArguments: [String] {
        var arguments: [String] = []
        if let steps { arguments += ["--steps", "\(steps)"] }
        if let lengths { arguments += ["--lengths", lengths] }
        if let units { arguments += ["--units", "\(units)"] }
        if let variants { arguments += ["--variants", variants] }
        if let activations { arguments += ["--activations", activations] }
        if skipProfile { arguments.append("--skip-profile") }
        if skipImages { arguments.append("--skip-images") }
        if let onDivergence { arguments += ["--on-divergence", onDivergence.rawValue] }
        return arguments
    }

    /// Merges shards this command measured (with `arguments` as its own options) into
    /// `context`'s directory.
    static func merge(_ paths: [String], context: ExperimentContext, arguments: [String]) throws -> [Claim] {
        let command = try parse(arguments + ["--seeds", "\(context.seeds)"] + (context.full ? ["--full"] : []))
        return try Execution(threads: context.threads).run {
            try LeakyUnitsExperiment.merge(paths, context: context, version: rectifierVersion, configuration: command.settings())
                .claims
        }
    }

    private func runWithThreads() throws {
        let settings = try settings()
        try requireMemory(settings)
        let context = try options.context()
        if let shard = try options.parsedShard() {
            options.reportShard(
                try LeakyUnitsExperiment.runShard(
                    context, shard: shard, version: rectifierVersion, configuration: settings, arguments: ownArguments),
                shard: shard)
            return
        }
        let document = try LeakyUnitsExperiment.run(context, configuration: settings)
        for run in document.results where run.diverged {
            print("diverged: \(run.task) T=\(run.length) \(run.variant) \(run.activation) seed \(run.seed) at step \(run.divergedAtStep ?? run.steps): \(run.divergence ?? "")")
        }
        try options.finish(LeakyUnitsExperiment.name, claims: document.claims, context: context)
    }
}
