import Activations
import ArgumentParser
import Experiments

/// `rectifier experiment initialisation`: sensitivity to the initial weight scale (claim 3).
struct ExperimentInitialisationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: InitialisationExperiment.name,
        abstract: "Train each activation from ×0.25 … ×4 its usual initial weight scale: share of runs reaching the target, spread of accuracy.",
        discussion: """
            Writes DIR/initialisation.json, DIR/initialisation-1.csv, \
            DIR/initialisation-success.svg (success rate against scale) and \
            DIR/initialisation-accuracy.svg. The short version takes about 30 s on 2 cores; \
            --full trains 10 epochs on 20 000 images with an 82 % target.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws {
        if let threads = options.threads { Parallelism.threadCount = threads }
        let configuration = options.full
            ? InitialisationConfiguration.full(seeds: options.seeds)
            : InitialisationConfiguration.short(seeds: options.seeds)
        let data = try ClassificationSubset.load(
            directory: options.data, trainingSamples: configuration.trainingSamples,
            validationSamples: configuration.validationSamples, experiment: InitialisationExperiment.name)
        let output = try ExperimentOutput(directory: options.out)
        let bar = ProgressBar(label: InitialisationExperiment.name, total: 1)
        let document = try InitialisationExperiment.run(
            configuration: configuration, data: data, output: output,
            progress: { fraction, status in bar.update(completed: fraction, status: status) })
        bar.finish(status: "\(document.results.runs.count) runs")
        for claim in document.claims {
            print("\(claim.supported ? "supported" : "not supported"): \(claim.claim)\n  \(claim.measured)")
        }
        print("wrote \(output.path(InitialisationExperiment.name + ".json"))")
    }
}
