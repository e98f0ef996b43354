import Activations
import ArgumentParser
import Experiments

/// `rectifier experiment dead-units`: dead units of ReLU, leaky ReLU and PReLU (claim 6).
struct ExperimentDeadUnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DeadUnitsExperiment.name,
        abstract: "Count dead hidden units per layer and epoch for ReLU, leaky ReLU and PReLU at several learning rates.",
        discussion: """
            Writes DIR/dead-units.json, DIR/dead-units-1.csv, DIR/dead-units-curves.svg (dead and \
            inactive units per epoch) and DIR/dead-units-slopes.svg (learned PReLU slopes). The \
            short version takes about 20 s on 2 cores; --full trains 15 epochs on 20 000 images.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws {
        if let threads = options.threads { Parallelism.threadCount = threads }
        let configuration = options.full
            ? DeadUnitsConfiguration.full(seeds: options.seeds) : DeadUnitsConfiguration.short(seeds: options.seeds)
        let data = try ClassificationSubset.load(
            directory: options.data, trainingSamples: configuration.trainingSamples,
            validationSamples: configuration.validationSamples, experiment: DeadUnitsExperiment.name)
        let output = try ExperimentOutput(directory: options.out)
        let bar = ProgressBar(label: DeadUnitsExperiment.name, total: 1)
        let document = try DeadUnitsExperiment.run(
            configuration: configuration, data: data, output: output,
            progress: { fraction, status in bar.update(completed: fraction, status: status) })
        bar.finish(status: "\(document.results.runs.count) runs")
        for claim in document.claims {
            print("\(claim.supported ? "supported" : "not supported"): \(claim.claim)\n  \(claim.measured)")
        }
        print("wrote \(output.path(DeadUnitsExperiment.name + ".json"))")
    }
}
