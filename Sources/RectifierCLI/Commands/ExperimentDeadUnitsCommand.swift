import ArgumentParser
import Experiments

/// `rectifier experiment dead-units`: dead units of ReLU, leaky ReLU and PReLU (claim 6).
struct ExperimentDeadUnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DeadUnitsExperiment.name,
        abstract: "Count dead hidden units per layer and epoch for ReLU, leaky ReLU and PReLU at several learning rates.",
        discussion: """
            Writes DIR/dead-units.json, DIR/dead-units-1.csv, DIR/dead-units-curves.svg (dead \
            units per epoch) and DIR/dead-units-slopes.svg (learned PReLU slopes). The \
            short version (27 runs) takes about 6 s of CPU in a release build; --full trains 15 \
            epochs on 20 000 images.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws { try options.run(DeadUnitsExperiment.registration) }
}
