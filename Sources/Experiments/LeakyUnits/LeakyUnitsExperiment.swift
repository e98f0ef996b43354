import Activations
import Datasets
import Networks
import Runtime
import Plotting

/// `rectifier experiment leaky-units`: the adding problem at several lengths and sequential
/// Fashion-MNIST (T = 28), each solved by a recurrent layer whose units leak with α = 0, α
/// fixed near one, α on many time scales, or α learned, with ReLU and with tanh, all on the
/// same seeds and budget (issue 4).
///
/// Writes `DIR/leaky-units.json` (an ``ExperimentDocument`` whose `results` is one
/// ``LeakyUnitsRun`` per run, adding problem first, and whose `diverged_runs` counts the
/// diverged runs per setting), its tables as CSV, and the SVG figures.
///
/// Divergence: ``Networks/DivergenceRule``, handled as ``LeakyUnitsOptions/divergence``
/// says; a diverged run counts as the mean predictor (MSE 1/6, never
/// solved) or at chance accuracy in every verdict, table median and plotted median, and is
/// drawn as a triangle at the top edge of the MSE figure.
public enum LeakyUnitsExperiment {
    /// The command's name and the JSON's base name.
    public static let name = "leaky-units"
    /// The adding problem counts as solved below this MSE.
    public static let successMSE = 0.01

    /// Runs every configuration and writes the files; `progress(fraction, status)` is called
    /// often, with `fraction` in 0…1 (each training step counts as its
    /// ``stepWork(length:batchSize:features:units:)``). `images` is the Fashion-MNIST data
    /// of the sequential task (used only when ``LeakyUnitsOptions/sequentialImages`` is set).
    /// - Throws: ``ExperimentError`` for bad options, files that cannot be written, or
    ///   (naming `--data`) a sequential task without `images` or with too few of them;
    ///   library errors if a run cannot be built.
    public static func run(
        options: LeakyUnitsOptions, output: ExperimentOutput, images: ImageDataSet? = nil,
        progress: (Double, String) -> Void
    ) throws -> ExperimentDocument<[LeakyUnitsRun]> {
        try options.validate()
        let sequential = try options.sequentialImages.map { imageOptions throws(ExperimentError) in
            guard let images else {
                throw ExperimentError.invalidOption(
                    flag: "--data", reason: "sequential Fashion-MNIST needs the images, and none were given")
            }
            return (options: imageOptions, sets: try imageOptions.images(from: images))
        }
        let start = MonotonicClock.now
        let runsPerTask = Double(options.seeds * options.leaks.count * options.activations.count)
        func addingStepWork(_ length: Int) -> Double {
            stepWork(length: length, batchSize: options.batchSize, features: AddingProblem.featureCount, units: options.units)
        }
        let imageStepWork = sequential.map { task in
            stepWork(
                length: task.sets.training.length, batchSize: task.options.batchSize,
                features: task.sets.training.featureCount, units: task.options.units)
        } ?? 0
        let imageRunWork = sequential.map { task in
            Double(task.options.steps(trainingCount: task.sets.training.images.count)) * imageStepWork
        } ?? 0
        let totalWork = runsPerTask
            * (options.lengths.map { Double(options.steps) * addingStepWork($0) }.reduce(0, +) + imageRunWork)
        var doneWork = 0.0
        var runs: [LeakyUnitsRun] = []
        for length in options.lengths {
            let testSet = try AddingProblem(length: length).makeBatch(
                size: options.testSequences, seed: 0x7E57 &+ UInt64(length))
            for activation in options.activations {
                for leak in options.leaks {
                    for seed in 0..<options.seeds {
                        let status = "T=\(length) \(leak.variantName) \(activation) seed \(seed)"
                        let run = try AddingProblemTraining.run(
                            length: length, leak: leak, activation: activation, seed: seed, options: options,
                            testSet: testSet
                        ) { step in
                            progress((doneWork + Double(step) * addingStepWork(length)) / totalWork, status)
                        }
                        doneWork += Double(options.steps) * addingStepWork(length)
                        progress(doneWork / totalWork, status + " MSE \(LeakyUnitsStatistics.format(run.finalMSE ?? .nan))")
                        runs.append(run)
                    }
                }
            }
        }
        let addingRuns = runs
        if let sequential {
            for activation in options.activations {
                for leak in options.leaks {
                    for seed in 0..<options.seeds {
                        let status = "sequential Fashion-MNIST \(leak.variantName) \(activation) seed \(seed)"
                        let run = try SequenceClassifierTraining.run(
                            training: sequential.sets.training, test: sequential.sets.test, leak: leak,
                            activation: activation, seed: seed, options: sequential.options, policy: options.divergence
                        ) { step in
                            progress((doneWork + Double(step) * imageStepWork) / totalWork, status)
                        }
                        doneWork += imageRunWork
                        progress(
                            doneWork / totalWork,
                            status + " accuracy \(LeakyUnitsStatistics.format(100 * (run.testAccuracy ?? .nan)))%")
                        runs.append(run)
                    }
                }
            }
        }
        let imageRuns = Array(runs[addingRuns.count...])
        progress(1, "profiling one BPTT step")
        let profile = options.profilesStep ? try BPTTProfile.measure() : nil
        var document = ExperimentDocument(
            experiment: name, title: "Leaky units on the adding problem",
            summary: LeakyUnitsReport.summary(options: options),
            settings: LeakyUnitsReport.settings(options: options, profile: profile),
            claims: LeakyUnitsReport.claims(addingRuns, options: options, profile: profile),
            figures: try writeFigures(addingRuns, options: options, output: output),
            tables: [LeakyUnitsReport.table(addingRuns, options: options)], wallSeconds: 0, results: runs)
        if let sequential {
            try SequentialImagesReport.add(
                to: &document, runs: imageRuns, task: sequential.options, training: sequential.sets.training,
                test: sequential.sets.test, options: options, output: output)
        }
        document.divergedRuns = DivergenceCount.tally(runs, setting: setting, diverged: \.diverged)
        document.wallSeconds = MonotonicClock.now - start
        try output.write(document)
        return document
    }

    /// The adding problem's claims computed from `runs` (any order) as ``run(options:output:images:progress:)``
    /// computes them, without the BPTT profile's claim: a diverged run counts as the mean
    /// predictor (1/6) and is never solved.
    public static func claims(_ runs: [LeakyUnitsRun], options: LeakyUnitsOptions) -> [Claim] {
        LeakyUnitsReport.claims(runs.filter { $0.task == AddingProblemTraining.taskName }, options: options, profile: nil)
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
            try chart.write(toFile: output.path(file))
            figures.append(FigureReference(file: file, caption: caption))
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
