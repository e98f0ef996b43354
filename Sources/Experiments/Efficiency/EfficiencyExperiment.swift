import Activations
import Networks

#if canImport(Glibc)
import Glibc
import Runtime
#endif

/// Claim 1 (Krizhevsky, Sutskever and Hinton 2012: a ReLU network reached 25% training error
/// on CIFAR-10 six times faster than the same network with tanh) and claim 7 (ReLU is among
/// the best-performing activations), on Fashion-MNIST.
///
/// Every activation trains the same 784-256-128-10 network on the same samples, with the
/// same seeds and budget, with SGD + momentum (as in the paper) and with Adam, each at two
/// rates: the shared one (SGD 0.01, Adam 1e−3; the seed's six activations) and each
/// activation's own rate tuned by ``LearningRateTuning`` (every activation of
/// ``leaderboard``; runs named `sgd-momentum-tuned`, `adam-tuned`). From each run's training
/// error per epoch (measured while learning, as in the paper) it takes the epochs and the
/// seconds to reach ``Plan/targetError`` (interpolated within the epoch), and the test
/// accuracy after the last epoch.
///
/// Verdicts (a diverged seed counts as one that never reaches the target, with chance
/// accuracy; spreads are mean ± sd over seeds; ``EfficiencyResults``), at each rate reading:
/// - ReLU faster than tanh: tanh needs ≥ 1.1× ReLU's epochs to the target with the spreads
///   apart (supported), less than 1.1× even in the best reading (not supported), else
///   inconclusive; a seed that never reaches it counts as the whole budget (a lower bound).
/// - ReLU faster in wall time than tanh and sigmoid (SGD + momentum): the same rule in
///   seconds, inconclusive when a run's epoch times spread over 25 % of their mean (load).
/// - Among the best (claim 7, the leaderboard): supported when ReLU's test accuracy
///   spread reaches the best activation's spread (its gap to the best is within the
///   seeds' spread); not supported when its spread lies wholly below the best's and it
///   ranks in the lower half; inconclusive otherwise.
package enum EfficiencyExperiment: Experiment {
    package static let name = "efficiency"
    package static let abstract =
        "Training error vs epochs and seconds for six activations; ReLU over tanh (claims 1, 7)."

    /// The activations compared at the shared rate, in the report's order.
    package static let activations: [HiddenActivation] = [
        .fixed(.relu), .fixed(try! .leakyReLU(negativeSlope: 0.01)), .prelu(try! PReLUOptions()),
        .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// Every activation of the leaderboard, each at its tuned rate: the six above and the
    /// rectifier's smooth descendants.
    package static let leaderboard: [HiddenActivation] = activations
        + ["gelu", "gelu:tanh", "silu", "elu", "selu", "mish"].map { try! HiddenActivation(parsing: $0) }

    /// Budget and data of one version.
    package struct Plan: Sendable, SizedConfiguration {
        package var sizes: ExperimentData.Sizes
        package var budget: TrialBudget
        /// The training error (a fraction) whose first crossing is timed.
        package var targetError: Double
        /// The optimisers at their shared rates.
        package var optimizers: [NamedOptimizer]
        package var seeds: [UInt64]
        /// Each leaderboard activation's rate per optimiser.
        package var tuned: TunedRates
        /// How ``tuned`` was found.
        package var tuning: LearningRateTuning
        /// The optimisers whose tuned runs hold every ``leaderboard`` activation; under the
        /// others only ``claimSubjects`` run at their tuned rates.
        package var leaderboardOptimizers: [String]

        package init(
            sizes: ExperimentData.Sizes, budget: TrialBudget, targetError: Double, optimizers: [NamedOptimizer],
            seeds: [UInt64], tuned: TunedRates = TunedRates(rates: []),
            tuning: LearningRateTuning = .standard(full: false), leaderboardOptimizers: [String]? = nil
        ) {
            self.leaderboardOptimizers = leaderboardOptimizers ?? optimizers.map(\.name)
            self.sizes = sizes
            self.budget = budget
            self.targetError = targetError
            self.optimizers = optimizers
            self.seeds = seeds
            self.tuned = tuned
            self.tuning = tuning
        }
    }

    /// The short version (`rectifier run`) and the long one (`--full`), with the rates tuned
    /// (or taken from the context when another experiment of the run tuned them).
    /// The short version's leaderboard is Adam's (SGD + momentum tunes only the claim-1
    /// subjects, to keep `rectifier run` short); the long one has both.
    package static func configuration(_ context: ExperimentContext) throws -> Plan {
        let optimizers: [NamedOptimizer] = [.sgdMomentum(learningRate: 0.01), .adam()]
        let board = context.full ? optimizers : [optimizers[1]]
        let tuning = LearningRateTuning.standard(full: context.full)
        let sizes: ExperimentData.Sizes = context.full
            ? .init(training: 55_000, validation: 5_000, test: 10_000)
            : .init(training: 6_000, validation: 2_000, test: 10_000)
        try context.checkData(sizes)  // before any tuning run trains
        let tuned = try tuning.tune(leaderboard, optimizers: board, context: context).rates
            + tuning.tune(claimSubjects, optimizers: optimizers.filter { !board.contains($0) }, context: context).rates
        return context.full
            ? Plan(
                sizes: sizes, budget: TrialBudget(epochs: 10),
                targetError: 0.11, optimizers: optimizers, seeds: context.seedList, tuned: TunedRates(rates: tuned),
                tuning: tuning, leaderboardOptimizers: board.map(\.name))
            : Plan(
                sizes: sizes, budget: TrialBudget(epochs: 6),
                targetError: 0.18, optimizers: optimizers, seeds: context.seedList, tuned: TunedRates(rates: tuned),
                tuning: tuning, leaderboardOptimizers: board.map(\.name))
    }

    /// The activations claim 1 compares (at the tuned rates under every optimiser).
    package static let claimSubjects: [HiddenActivation] = [.fixed(.relu), .fixed(.sigmoid), .fixed(.tanh)]

    /// The six at the shared rates, then at the tuned rates every leaderboard activation under
    /// the leaderboard's optimisers and the claim-1 subjects under the others.
    package static func trials(_ plan: Plan, inputs: ExperimentData) -> [Trial] {
        Trial.grid(activations: activations, seeds: plan.seeds, optimizers: plan.optimizers)
            + plan.optimizers.flatMap { optimizer in
                plan.tuned.trials(
                    activations: plan.leaderboardOptimizers.contains(optimizer.name) ? leaderboard : claimSubjects,
                    seeds: plan.seeds, optimizers: [optimizer])
            }
    }

    /// One unit per training batch.
    package static func work(_ trial: Trial, configuration plan: Plan, inputs: ExperimentData) -> Double {
        SideBySideRunner(data: inputs, budget: plan.budget).workUnits([trial])
    }

    package static func measure(_ trial: Trial, configuration plan: Plan, inputs: ExperimentData, progress: ProgressTask) throws
        -> TrialResult
    {
        try SideBySideRunner(data: inputs, budget: plan.budget).run([trial], progress: progress)[0]
    }

    package static func describe(
        _ trials: [TrialResult], configuration plan: Plan, inputs data: ExperimentData, context: ExperimentContext
    ) throws -> ExperimentDocument<EfficiencyResults> {
        let results = EfficiencyResults(
            targetError: plan.targetError, epochs: plan.budget.epochs, chanceAccuracy: data.chanceAccuracy,
            trials: trials, activations: leaderboard.map(\.description),
            optimizers: plan.optimizers.map(\.name) + plan.optimizers.map { $0.name + NamedOptimizer.tunedSuffix },
            tunedRates: plan.tuned)
        var settings = context.commonSettings
        settings["architecture"] = "\(data.training.featureCount)-" + plan.budget.hiddenSizes.map(String.init).joined(separator: "-") + "-\(data.classCount)"
        settings["epochs"] = "\(plan.budget.epochs)"
        settings["batch size"] = "\(plan.budget.batchSize)"
        settings["data"] = data.description
        settings["target training error"] = percent(plan.targetError)
        settings["optimizers"] = plan.optimizers.map(describe).joined(separator: "; ")
        settings["tuning"] = plan.tuning.description
        for optimizer in plan.optimizers {
            settings["tuned rates, \(optimizer.name)"] = plan.tuned.summary(optimizer: optimizer.name)
        }
        settings["initialization"] = "He normal (gain for the negative slope), biases 0"
        return ExperimentDocument(
            experiment: name, title: "Training efficiency: ReLU against sigmoidal units",
            summary: """
                Six activations train the same \(settings["architecture"]!) network on the same \
                \(data.description), \(plan.seeds.count) seeds each, \(plan.budget.epochs) epochs, with \
                SGD + momentum (as Krizhevsky et al. 2012) and with Adam at the shared rates, then \
                \(leaderboard.count) activations each at its own rate, tuned on the validation images with \
                seeds apart from the measuring ones (runs named …-tuned); the claims are judged at both \
                readings. Training error is measured \
                while learning; the time to reach \(percent(plan.targetError)) training error is \
                interpolated within the epoch. Krizhevsky et al. report 6× fewer epochs for ReLU than \
                tanh on CIFAR-10 with a convolutional network; this is a multilayer perceptron on \
                Fashion-MNIST, so expect a smaller factor. A diverged seed (a training or validation loss \
                that is NaN or infinite) counts as a failure: it never reaches the target and its final \
                accuracy is chance.
                """,
            settings: settings, claims: results.claims(), figures: try EfficiencyFigures.write(results, to: context.output),
            tables: results.tables(),
            divergedRuns: DivergenceCount.tally(trials, setting: { "\($0.optimizer) · \($0.activation)" }, diverged: \.diverged),
            results: results)
    }

    static func percent(_ fraction: Double) -> String {
        SeedStatistics.format(fraction * 100, digits: 3) + "%"
    }

    private static func describe(_ optimizer: NamedOptimizer) -> String {
        let rate = SeedStatistics.format(optimizer.configuration.learningRate)
        switch optimizer.configuration.kind {
        case .sgd(let momentum, _): return "\(optimizer.name): SGD, momentum \(momentum), rate \(rate)"
        default: return "\(optimizer.name): Adam (β 0.9, 0.999), rate \(rate)"
        }
    }
}
