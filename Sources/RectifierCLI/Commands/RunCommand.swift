import Activations
import ArgumentParser
import Experiments
import Runtime

/// `rectifier run` (what `make run` calls): the side-by-side Fashion-MNIST comparison, then
/// every registered experiment (short versions; `--full` for the long ones), then the report.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train 784-256-128-10 with five activations side by side, run every experiment, write the report.",
        discussion: """
            Short versions by default (a few minutes on a 2-core machine); --full runs the long \
            ones. Writes DIR/NAME.json, CSV and SVG files for each experiment, DIR/index.html and \
            DIR/summary.md. The same seeds and thread count give the same numbers.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try Execution(threads: options.threads).run { try runWithThreads() }
    }

    private func runWithThreads() throws {
        let started = MonotonicClock.now
        let context = try options.context()
        if let shard = try options.parsedShard() {
            return try runShard(shard, context: context)
        }
        print("rectifier run (\(options.full ? "full" : "short") version): \(context.threads) threads, "
            + "\(options.seedCount) seeds, data \(context.dataDirectory), output \(options.out)/")
        let comparison = try SideBySideComparison.run(context)
        print("\n" + comparison.tables[0].text + "\n")
        var failures: [String] = []
        for experiment in ExperimentRegistry.all {
            do {
                _ = try experiment.run(context)
            } catch {
                printToStandardError("rectifier: experiment \(experiment.name) failed: \(error)")
                failures.append(experiment.name)
            }
        }
        let paths = try Report.write(directory: options.out)
        let contents = try Report.read(directory: options.out)
        print("\nwrote \(paths.html) and \(paths.markdown) in \(ProgressBar.clock(MonotonicClock.now - started))\n")
        print(ClaimTable.text(contents.experiments.flatMap { experiment in experiment.claims.map { (experiment.experiment, $0) } }))
        if !failures.isEmpty {
            throw RunFailure(experiments: failures)
        }
    }
}

extension RunCommand {
    /// Measures slice `shard` of the comparison and of every experiment, writing one
    /// `DIR/NAME.shard-K-of-N.json` each.
    private func runShard(_ shard: Shard, context: ExperimentContext) throws {
        print("rectifier run (\(options.full ? "full" : "short") version), shard \(shard): \(context.threads) threads, "
            + "\(options.seedCount) seeds, data \(context.dataDirectory), output \(options.out)/")
        var failures: [String] = []
        for experiment in [ExperimentRegistry.comparison] + ExperimentRegistry.all {
            do {
                options.reportShard(try experiment.runShard(context, shard, rectifierVersion), shard: shard)
            } catch {
                printToStandardError("rectifier: experiment \(experiment.name) failed: \(error)")
                failures.append(experiment.name)
            }
        }
        if !failures.isEmpty { throw RunFailure(experiments: failures) }
    }
}

/// Some experiments failed (their messages were printed); the others' results are written.
struct RunFailure: Error, CustomStringConvertible {
    let experiments: [String]
    var description: String { "experiments failed: \(experiments.joined(separator: ", ")) (see the messages above)" }
}
