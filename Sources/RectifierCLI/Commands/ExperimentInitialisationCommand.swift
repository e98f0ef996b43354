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
            DIR/initialisation-accuracy.svg. The short version (90 runs) takes about 7 s of \
            CPU in a release build; --full trains 10 epochs on 20 000 images with an 82 % target.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(InitialisationExperiment.registration) }
}
