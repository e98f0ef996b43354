import Activations
import ArgumentParser
import Experiments

/// `rectifier experiment depth`: plain MLPs of depth 2…32 for each activation (claim 2).
struct ExperimentDepthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DepthExperiment.name,
        abstract: "Train plain MLPs of 2–32 hidden layers per activation: loss after a fixed budget, gradient norm per layer.",
        discussion: """
            Writes DIR/depth.json, DIR/depth-1.csv, DIR/depth-loss.svg (depth × activation heat \
            map) and DIR/depth-gradients.svg (per-layer gradient norms). The short version takes \
            about half a minute on 2 cores; --full trains 10 epochs on 20 000 images.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws {
        if let threads = options.threads { Parallelism.threadCount = threads }
        let configuration = options.full
            ? DepthConfiguration.full(seeds: options.seeds) : DepthConfiguration.short(seeds: options.seeds)
        let data = try ClassificationSubset.load(
            directory: options.data, trainingSamples: configuration.trainingSamples,
            validationSamples: configuration.validationSamples, experiment: DepthExperiment.name)
        let output = try ExperimentOutput(directory: options.out)
        let bar = ProgressBar(label: DepthExperiment.name, total: 1)
        let document = try DepthExperiment.run(
            configuration: configuration, data: data, output: output,
            progress: { fraction, status in bar.update(completed: fraction, status: status) })
        bar.finish(status: "\(document.results.runs.count) runs")
        for claim in document.claims {
            print("\(claim.supported ? "supported" : "not supported"): \(claim.claim)\n  \(claim.measured)")
        }
        print("wrote \(output.path(DepthExperiment.name + ".json"))")
    }
}
