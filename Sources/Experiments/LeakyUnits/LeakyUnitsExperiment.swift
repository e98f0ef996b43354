import Activations
import Datasets
import Networks
import Runtime
import Plotting

/// `rectifier experiment leaky-units`: the adding problem at several lengths and sequential
/// Fashion-MNIST (T = 28), each solved by a recurrent layer whose units leak with α = 0, α
/// fixed near one, α on many time scales, or α learned, with ReLU and with tanh, all on the
/// same seeds and budget.
///
/// Writes `DIR/leaky-units.json` (an ``ExperimentDocument`` whose `results` is one
/// ``LeakyUnitsRun`` per run, adding problem first, and whose `diverged_runs` counts the
/// diverged runs per setting), its tables as CSV, and the SVG figures.
///
/// Divergence: ``Networks/DivergenceRule``, handled as ``LeakyUnitsOptions/divergence``
/// says; a diverged run counts as the mean predictor (MSE 1/6, never
/// solved) or at chance accuracy in every verdict, table median and plotted median, and is
/// drawn as a triangle at the top edge of the MSE figure.
package enum LeakyUnitsExperiment: Experiment {
    /// The command's name and the JSON's base name.
    package static let name = "leaky-units"
    package static let abstract =
        "Leaky recurrent units on the adding problem and sequential Fashion-MNIST; writes DIR/leaky-units.json and plots."
    package static let discussion: String? = """
        Trains a recurrent layer h(t) = α⊙h(t−1) + (1−α)⊙σ(W·x + U·h(t−1) + b) with each \
        leak (plain α = 0, fixed 0.99, multi-scale, learned) and activation (ReLU, tanh) \
        on the same seeds and budget, and reports the held-out MSE per length against the \
        mean predictor's 0.167, the gradient reach and the learned time constants. Then \
        the same leaks and activations classify Fashion-MNIST images read one row of 28 \
        pixels per step (test accuracy; images from --data). The short version (adding: \
        32 units, 300 steps; images: 64 units, one epoch of 6000) takes about a minute; \
        --full uses 128 units, 800 steps, and one epoch of all 60 000 images (about 23 minutes).
        """
    /// The adding problem counts as solved below this MSE.
    package static let successMSE = 0.01

    /// One run of either task, or the timing of one BPTT step.
    package enum LeakyUnitsTrial: Sendable {
        case adding(length: Int, leak: Leak, activation: Activation, seed: Int)
        case sequentialImages(leak: Leak, activation: Activation, seed: Int)
        case profile
    }

    /// A run, or the BPTT step's profile.
    package enum LeakyUnitsMeasurement: Codable, Sendable {
        case run(LeakyUnitsRun)
        case profile(BPTTProfile)
    }

    /// The held-out sequences of each length (the same for every run of a length) and the
    /// sequential images.
    package struct Inputs {
        var testSets: [Int: SequenceRegressionBatch]
        var images: (training: SequentialImages, test: SequentialImages)?
    }

    /// The short or long version; `rectifier run` does not time the BPTT step.
    package static func configuration(_ context: ExperimentContext) -> LeakyUnitsOptions {
        var options = LeakyUnitsOptions(seeds: context.seeds, full: context.full)
        options.profilesStep = false
        return options
    }

    /// - Throws: ``ExperimentError`` for bad options or (naming `--data`) missing or too few images.
    package static func inputs(_ options: LeakyUnitsOptions, context: ExperimentContext) throws -> Inputs {
        try options.validate()
        let images = try options.sequentialImages.map { task throws(ExperimentError) in try task.images(from: context.images()) }
        var testSets: [Int: SequenceRegressionBatch] = [:]
        for length in options.lengths {
            testSets[length] = try AddingProblem(length: length).makeBatch(
                size: options.testSequences, seed: 0x7E57 &+ UInt64(length))
        }
        return Inputs(testSets: testSets, images: images)
    }

    /// The adding problem (length, activation, leak, seed), then sequential Fashion-MNIST
    /// (activation, leak, seed), then the profile.
    package static func trials(_ options: LeakyUnitsOptions, inputs: Inputs) -> [LeakyUnitsTrial] {
        let seeds = 0..<options.seeds
        let adding = options.lengths.flatMap { length in
            options.activations.flatMap { activation in
                options.leaks.flatMap { leak in
                    seeds.map { LeakyUnitsTrial.adding(length: length, leak: leak, activation: activation, seed: $0) }
                }
            }
        }
        let images = inputs.images == nil ? [] : options.activations.flatMap { activation in
            options.leaks.flatMap { leak in seeds.map { LeakyUnitsTrial.sequentialImages(leak: leak, activation: activation, seed: $0) } }
        }
        return adding + images + (options.profilesStep ? [.profile] : [])
    }

    /// The multiply–adds of the run's recurrent GEMMs (see ``stepWork(length:batchSize:features:units:)``).
    package static func work(_ trial: LeakyUnitsTrial, configuration options: LeakyUnitsOptions, inputs: Inputs) -> Double {
        switch trial {
        case .adding(let length, _, _, _):
            return Double(options.steps) * addingStepWork(length, options)
        case .sequentialImages:
            guard let images = inputs.images, let task = options.sequentialImages else { return 0 }
            return Double(task.steps(trainingCount: images.training.images.count)) * imageStepWork(images, task)
        case .profile:
            return 0
        }
    }

    package static func measure(
        _ trial: LeakyUnitsTrial, configuration options: LeakyUnitsOptions, inputs: Inputs, progress: ProgressTask
    ) throws -> LeakyUnitsMeasurement {
        var stepsDone = 0
        func advance(_ step: Int, _ stepWork: Double, _ status: String) {
            progress.advance(by: Double(step - stepsDone) * stepWork, status: status)
            stepsDone = step
        }
        switch trial {
        case .adding(let length, let leak, let activation, let seed):
            let status = "T=\(length) \(leak.variantName) \(activation) seed \(seed)"
            let run = try AddingProblemTraining.run(
                length: length, leak: leak, activation: activation, seed: seed, options: options,
                testSet: inputs.testSets[length]!
            ) { advance($0, addingStepWork(length, options), status) }
            progress.advance(by: 0, status: status + " MSE \(LeakyUnitsStatistics.format(run.finalMSE ?? .nan))")
            return .run(run)
        case .sequentialImages(let leak, let activation, let seed):
            let images = inputs.images!, task = options.sequentialImages!
            let status = "sequential Fashion-MNIST \(leak.variantName) \(activation) seed \(seed)"
            let run = try SequenceClassifierTraining.run(
                training: images.training, test: images.test, leak: leak, activation: activation, seed: seed,
                options: task, policy: options.divergence
            ) { advance($0, imageStepWork(images, task), status) }
            progress.advance(by: 0, status: status + " accuracy \(LeakyUnitsStatistics.format(100 * (run.testAccuracy ?? .nan)))%")
            return .run(run)
        case .profile:
            progress.advance(by: 0, status: "profiling one BPTT step")
            return .profile(try BPTTProfile.measure())
        }
    }

    package static func describe(
        _ measurements: [LeakyUnitsMeasurement], configuration options: LeakyUnitsOptions, inputs: Inputs,
        context: ExperimentContext
    ) throws -> ExperimentDocument<[LeakyUnitsRun]> {
        var runs: [LeakyUnitsRun] = [], profile: BPTTProfile?
        for measurement in measurements {
            switch measurement {
            case .run(let run): runs.append(run)
            case .profile(let measured): profile = measured
            }
        }
        let addingRuns = runs.filter { $0.task == AddingProblemTraining.taskName }
        var document = ExperimentDocument(
            experiment: name, title: "Leaky units on the adding problem",
            summary: LeakyUnitsReport.summary(options: options),
            settings: LeakyUnitsReport.settings(options: options, profile: profile),
            claims: LeakyUnitsReport.claims(addingRuns, options: options, profile: profile),
            figures: try writeFigures(addingRuns, options: options, output: context.output),
            tables: [LeakyUnitsReport.table(addingRuns, options: options)], results: runs)
        if let images = inputs.images, let task = options.sequentialImages {
            try SequentialImagesReport.add(
                to: &document, runs: Array(runs[addingRuns.count...]), task: task, training: images.training,
                test: images.test, options: options, output: context.output)
        }
        document.divergedRuns = DivergenceCount.tally(runs, setting: setting, diverged: \.diverged)
        return document
    }

    private static func addingStepWork(_ length: Int, _ options: LeakyUnitsOptions) -> Double {
        stepWork(length: length, batchSize: options.batchSize, features: AddingProblem.featureCount, units: options.units)
    }

    private static func imageStepWork(
        _ images: (training: SequentialImages, test: SequentialImages), _ task: SequentialImagesOptions
    ) -> Double {
        stepWork(
            length: images.training.length, batchSize: task.batchSize, features: images.training.featureCount,
            units: task.units)
    }

    /// The adding problem's claims computed from `runs` (any order) as the experiment
    /// computes them, and the BPTT step's when `profile` is given: a diverged run counts as
    /// the mean predictor (1/6) and is never solved.
    package static func claims(_ runs: [LeakyUnitsRun], options: LeakyUnitsOptions, profile: BPTTProfile? = nil) -> [Claim] {
        LeakyUnitsReport.claims(runs.filter { $0.task == AddingProblemTraining.taskName }, options: options, profile: profile)
    }

    /// The multiply–adds of one training step's recurrent GEMMs, `T·B·H·(F + H)`: the
    /// progress bar's unit of work, so steps of different tasks weigh what they cost.
    static func stepWork(length: Int, batchSize: Int, features: Int, units: Int) -> Double {
        Double(length) * Double(batchSize) * Double(units) * Double(features + units)
    }

    /// A run's setting in `diverged_runs`: "learned · relu · T = 400" (adding problem) or
    /// "learned · relu · sequential-fashion-mnist".
    static func setting(_ run: LeakyUnitsRun) -> String {
        "\(run.variant) · \(run.activation) · " + (run.task == AddingProblemTraining.taskName ? "T = \(run.length)" : run.task)
    }

    /// The (variant, activation) pairs in table order.
    static func configurations(_ options: LeakyUnitsOptions) -> [(String, String)] {
        options.activations.flatMap { activation in
            options.leaks.map { ($0.variantName, activation.description) }
        }
    }

    private static func writeFigures(
        _ runs: [LeakyUnitsRun], options: LeakyUnitsOptions, output: ExperimentOutput
    ) throws -> [FigureReference] {
        let longest = options.lengths.max()!
        let curveLength = options.lengths.filter { $0 <= 200 }.max() ?? longest
        var figures: [FigureReference] = []
        func save(_ chart: some Chart, _ file: String, _ caption: String) throws {
            figures.append(try output.figure(chart, file, caption: caption))
        }
        try save(
            LeakyUnitsPlots.mseByLength(runs, configurations: configurations(options), lengths: options.lengths),
            "leaky-units-mse.svg",
            "Held-out MSE after the same training budget, per sequence length. Below the 0.01 line the task is solved; at the 1/6 line the network only predicts the mean. A triangle at the top edge marks a run that diverged (its error is off the scale; it counts as 1/6 in the median).")
        let variants = options.leaks.map(\.variantName)
        for activation in options.activations {
            try save(
                LeakyUnitsPlots.reach(runs, length: longest, activation: activation.description, variants: variants),
                "leaky-units-reach-\(activation.description).svg",
                "How much of a change in h(t) still reaches the last state, by distance d, before and after training (\(activation.displayName)). Leaks near one keep it near one for about 1/(1 − α) steps; α = 0 lets it vanish or explode geometrically.")
        }
        if let learned = options.leaks.first(where: \.isLearned) {
            try save(
                LeakyUnitsPlots.timeConstants(
                    runs, length: longest, initial: learned.initialAlphas(units: options.units).map { 1 / (1 - $0) }),
                "leaky-units-time-constants.svg",
                "Distribution of the learned time constants 1/(1 − α) at T = \(longest), against where they started.")
        }
        try save(
            LeakyUnitsPlots.learningCurves(runs, length: curveLength, configurations: configurations(options)),
            "leaky-units-curves.svg", "Training MSE during the run at T = \(curveLength) (first seed).")
        return figures
    }
}
