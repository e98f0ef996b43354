import Activations
import Networks

/// Claims 1 and 7 in the setting where claim 1 was made: Krizhevsky, Sutskever and Hinton
/// (2012), Figure 1 — a four-layer convolutional network with ReLUs reaches 25 % training
/// error on CIFAR-10 six times faster than the same network with tanh, "the learning rates
/// for each network chosen independently to make training as fast as possible".
///
/// The network: conv 5×5 → max-pool → conv 5×5 → max-pool → dense → output (four layers with
/// weights), on 1×28×28 Fashion-MNIST images (``layers``); SGD with momentum 0.9 as in the
/// paper (batch 128 in the long version, 32 in the short one). Each activation first tunes its rate (``RateTuning``: the grid on
/// tuning seeds, best validation accuracy), then every measuring seed trains at that rate.
/// One trial is one activation (its tuning and its seeds), so shards deal whole activations.
///
/// Verdicts (``ThreeWayVerdict``; a diverged seed never reaches a target and ends at chance):
/// - Claim 1, per target (the paper's 25 % and a harder one): ReLU needs at least 10 % fewer
///   epochs than tanh over every pairing of seeds (supported), over none (not supported),
///   or over some (inconclusive).
/// - Claim 1, wall time at 25 %: the same rule in seconds against tanh and sigmoid, where
///   measured (supported against each; not supported against any; else inconclusive).
/// - Claim 7: every ReLU seed's final validation accuracy is at least the median of the other
///   activations' means less half a point (supported), none is (not supported), or some are.
/// Fewer than 3 seeds give "inconclusive: too few seeds for a verdict".
package enum ConvolutionalExperiment: Experiment {
    package static let name = "convolutional"
    package static let abstract =
        "Krizhevsky et al.'s Figure 1 on a four-layer CNN: ReLU against tanh and the family, tuned rates (claims 1, 7)."
    package static let discussion: String? = """
        Trains the network conv:16x5 → maxpool:2 → conv:32x5 → maxpool:2 → dense:64 → 10 (SGD + momentum 0.9) \
        with each activation at its own rate, tuned on separate seeds, and times 25 % and a harder \
        training error. Writes DIR/convolutional.json, its CSV tables, convolutional-figure1.svg (the paper's \
        figure from this run) and convolutional-family.svg. The short version (relu, tanh, silu on 1 024 \
        images, batch 32) takes about a minute on two cores; --full trains all eleven activations on 5 000 images.
        """

    /// What one version trains.
    package struct Plan: Sendable {
        /// Hidden layers, as `rectifier train --layers` spells them.
        package var layers: String
        package var sizes: ExperimentData.Sizes
        package var epochs: Int
        package var batchSize: Int
        package var tuning: RateTuning
        package var activations: [HiddenActivation]
        package var seeds: [UInt64]
        /// Training errors whose first crossing is timed: the paper's 25 %, then a harder one.
        package var targets: [Double]

        package init(
            layers: String, sizes: ExperimentData.Sizes, epochs: Int, batchSize: Int, tuning: RateTuning,
            activations: [HiddenActivation], seeds: [UInt64], targets: [Double]
        ) {
            self.layers = layers
            self.sizes = sizes
            self.epochs = epochs
            self.batchSize = batchSize
            self.tuning = tuning
            self.activations = activations
            self.seeds = seeds
            self.targets = targets
        }

        /// The budget of a measuring run (``epochs``) or a tuning run.
        package func budget(tuning: Bool) -> TrialBudget {
            TrialBudget(
                hiddenSizes: [], epochs: tuning ? self.tuning.epochs : epochs, batchSize: batchSize, probeSize: 128,
                layers: layers)
        }
    }

    /// The network of Figure 1 scaled to 28×28 (see docs/EXPERIMENTS.md for what was scaled).
    package static let layers = "conv:16x5:pad=same,maxpool:2,conv:32x5:pad=same,maxpool:2,dense:64"
    /// SGD with momentum 0.9, as in the paper; its rate is tuned.
    package static let optimizer = NamedOptimizer.sgdMomentum()

    /// The short version (`rectifier run`): ReLU, tanh and SiLU on 1 024 images, batch 32 so
    /// that 4 epochs are 128 steps; the long one (`--full`): the whole family on 5 000 images,
    /// batch 128 as in the paper, 8 epochs.
    package static func configuration(_ context: ExperimentContext) -> Plan {
        let family = ["relu", "leaky:0.01", "prelu", "softplus", "sigmoid", "tanh", "gelu", "silu", "elu", "selu", "mish"]
        return Plan(
            layers: layers,
            sizes: context.full ? .init(training: 5_000, validation: 1_000) : .init(training: 1_024, validation: 512),
            epochs: context.full ? 8 : 4, batchSize: context.full ? 128 : 32,
            tuning: RateTuning(rates: RateTuning.halfDecades(from: -3, count: 5), seedCount: 1, epochs: 2),
            activations: (context.full ? family : ["relu", "tanh", "silu"]).map { try! HiddenActivation(parsing: $0) },
            seeds: context.seedList, targets: [0.25, 0.15])
    }

    package static func inputs(_ plan: Plan, context: ExperimentContext) throws -> ExperimentData {
        try context.data(plan.sizes)
    }

    /// One trial per activation.
    package static func trials(_ plan: Plan, inputs: ExperimentData) -> [HiddenActivation] {
        plan.activations
    }

    /// One unit per training batch of the tuning and measuring runs.
    package static func work(_ activation: HiddenActivation, configuration plan: Plan, inputs: ExperimentData) -> Double {
        let batches = Double((inputs.training.count + plan.batchSize - 1) / plan.batchSize)
        return batches * Double(
            plan.tuning.rates.count * plan.tuning.seeds.count * plan.tuning.epochs + plan.seeds.count * plan.epochs)
    }

    package static func measure(
        _ activation: HiddenActivation, configuration plan: Plan, inputs: ExperimentData, progress: ProgressTask
    ) throws -> ConvolutionalRun {
        let initialization = Initialization.standard(for: activation)
        let tuner = SideBySideRunner(data: inputs, budget: plan.budget(tuning: true))
        var scores: [RateTuning.Score] = []
        for rate in plan.tuning.rates {
            let trials = try plan.tuning.trials(activation, rate: rate, optimizer: optimizer, initialization: initialization)
            scores.append(RateTuning.score(try tuner.run(trials, progress: progress), rate: rate, chance: inputs.chanceAccuracy))
        }
        let rate = RateTuning.choose(scores) ?? plan.tuning.rates[0]
        let measuring = try plan.tuning.trials(activation, rate: rate, optimizer: optimizer, initialization: initialization)
        let trials = plan.seeds.map { seed in
            var trial = measuring[0]
            trial.seed = seed
            return trial
        }
        let runs = try SideBySideRunner(data: inputs, budget: plan.budget(tuning: false)).run(trials, progress: progress)
        return ConvolutionalRun(activation: activation.description, tunedLearningRate: rate, tuning: scores, runs: runs)
    }

    package static func describe(
        _ runs: [ConvolutionalRun], configuration plan: Plan, inputs data: ExperimentData, context: ExperimentContext
    ) throws -> ExperimentDocument<ConvolutionalResults> {
        let results = ConvolutionalResults(
            targets: plan.targets, epochs: plan.epochs, chanceAccuracy: data.chanceAccuracy, layers: plan.layers,
            activations: runs)
        var settings = context.settings(adding: [:], data: data)
        settings["architecture"] = "1×28×28 → \(plan.layers) → 10 (\(describeLayers))"
        settings["epochs"] = "\(plan.epochs)"
        settings["batch size"] = "\(plan.batchSize)"
        settings["optimizer"] = "SGD, momentum 0.9, each activation at its tuned rate"
        settings["rate tuning"] = "rates " + plan.tuning.rates.map { SeedStatistics.format($0, digits: 3) }
            .joined(separator: ", ") + "; best mean validation accuracy of tuning seed(s) "
            + plan.tuning.seeds.map(String.init).joined(separator: ", ") + " after \(plan.tuning.epochs) epochs"
        settings["targets"] = plan.targets.map(ConvolutionalResults.percent).joined(separator: ", ") + " training error"
        settings["initialization"] = "He normal (gain for the negative slope; LeCun for selu), Glorot normal for sigmoid and tanh; biases 0"
        return ExperimentDocument(
            experiment: name, title: "Claims 1 and 7 on a convolutional network (Krizhevsky et al.'s Figure 1)",
            summary: """
                \(plan.activations.count) activations train the four-layer convolutional network of Krizhevsky \
                et al.'s Figure 1, scaled to 28×28 images (\(describeLayers)), on \(data.description), \
                \(plan.seeds.count) seeds each, \(plan.epochs) epochs of SGD with momentum 0.9 and batch \(plan.batchSize). As in \
                the paper each activation trains at its own rate: the rate of \
                \(plan.tuning.rates.count) (half-decades) whose tuning run (separate seeds, \(plan.tuning.epochs) \
                epochs) reached the best validation accuracy. Training error is measured while learning; the \
                epochs to \(plan.targets.map(ConvolutionalResults.percent).joined(separator: " and ")) are \
                interpolated within the epoch; seconds are epochs × the run's median epoch time. The paper \
                measured 6× on CIFAR-10, where 25 % is hard; on Fashion-MNIST 25 % comes early, so the harder \
                target is timed too. Verdicts have three states: a speed claim needs ReLU at least 10 % faster \
                over every pairing of seeds (supported) or over none (not supported), else inconclusive; ReLU is \
                among the best when every seed's accuracy is at least the median of the others' means less half \
                a point. The same claims on the 784-256-128-10 perceptron are the efficiency experiment's.
                """,
            settings: settings, claims: results.claims(),
            figures: try ConvolutionalFigures.write(
                results, to: context.output, machine: "\(context.threads) threads"),
            tables: results.tables(), wallSeconds: 0,
            divergedRuns: DivergenceCount.tally(runs.flatMap(\.runs), setting: { $0.activation }, diverged: \.diverged),
            results: results)
    }

    /// The layers in words.
    static let describeLayers =
        "16 filters 5×5 (padding 2) → 2×2 max-pool → 32 filters 5×5 (padding 2) → 2×2 max-pool → 64 units → 10"
}
