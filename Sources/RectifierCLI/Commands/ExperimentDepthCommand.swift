import ArgumentParser
import Experiments

/// `rectifier experiment depth`: plain MLPs of depth 2…32 for each activation (claim 2).
struct ExperimentDepthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DepthExperiment.name,
        abstract: "Train plain MLPs of 2–32 hidden layers per activation: loss after a fixed budget, gradient norm per layer.",
        discussion: """
            Writes DIR/depth.json, DIR/depth-1.csv, DIR/depth-loss.svg (depth × activation heat \
            map) and DIR/depth-gradients.svg (per-layer gradient norms). The short version (90 \
            runs) takes about 20 s of CPU in a release build; --full trains 10 epochs on 20 000 images.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(DepthExperiment.registration) }
}
