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
/// same seeds and budget, once with SGD + momentum (as in the paper) and once with Adam.
/// From each run's training error per epoch (measured while learning, as in the paper) it
/// takes the epochs and the seconds to reach ``Plan/targetError`` (interpolated within the
/// epoch), and the final validation accuracy.
///
/// Verdicts (a diverged seed counts as one that never reaches the target, with chance
/// accuracy; ``EfficiencyResults``):
/// - ReLU faster than tanh (per optimiser): every ReLU seed reaches the target in fewer
///   epochs than every tanh seed (the slowest ReLU seed beats the fastest tanh seed; a
///   seed that never reaches it counts as slower than the budget).
/// - ReLU faster in wall time than tanh and sigmoid (SGD + momentum): the same rule in seconds.
/// - Among the best (claim 7): ReLU's mean final validation accuracy ranks in the top half
///   of the six activations for both optimisers.
package enum EfficiencyExperiment: Experiment {
    package static let name = "efficiency"
    package static let abstract =
        "Training error vs epochs and seconds for six activations; ReLU over tanh (claims 1, 7)."

    /// The activations compared, in the report's order.
    package static let activations: [HiddenActivation] = [
        .fixed(.relu), .fixed(try! .leakyReLU(negativeSlope: 0.01)), .prelu(try! PReLUOptions()),
        .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// Budget and data of one version.
    package struct Plan: Sendable {
        package var sizes: ExperimentData.Sizes
        package var budget: TrialBudget
        /// The training error (a fraction) whose first crossing is timed.
        package var targetError: Double
        package var optimizers: [NamedOptimizer]
        package var seeds: [UInt64]

        package init(
            sizes: ExperimentData.Sizes, budget: TrialBudget, targetError: Double, optimizers: [NamedOptimizer],
            seeds: [UInt64]
        ) {
            self.sizes = sizes
            self.budget = budget
            self.targetError = targetError
            self.optimizers = optimizers
            self.seeds = seeds
        }
    }

    /// The short version (`rectifier run`) and the long one (`--full`).
    package static func configuration(_ context: ExperimentContext) -> Plan {
        context.full
            ? Plan(
                sizes: .init(training: 55_000, validation: 5_000), budget: TrialBudget(epochs: 20),
                targetError: 0.10, optimizers: [.sgdMomentum(learningRate: 0.01), .adam()], seeds: context.seedList)
            : Plan(
                sizes: .init(training: 6_000, validation: 2_000), budget: TrialBudget(epochs: 6),
                targetError: 0.18, optimizers: [.sgdMomentum(learningRate: 0.01), .adam()], seeds: context.seedList)
    }

    package static func inputs(_ plan: Plan, context: ExperimentContext) throws -> ExperimentData {
        try context.data(plan.sizes)
    }

    package static func trials(_ plan: Plan, inputs: ExperimentData) -> [Trial] {
        Trial.grid(activations: activations, seeds: plan.seeds, optimizers: plan.optimizers)
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
            trials: trials, activations: activations.map(\.description), optimizers: plan.optimizers.map(\.name))
        var settings = context.commonSettings
        settings["architecture"] = "\(data.training.featureCount)-" + plan.budget.hiddenSizes.map(String.init).joined(separator: "-") + "-10"
        settings["epochs"] = "\(plan.budget.epochs)"
        settings["batch size"] = "\(plan.budget.batchSize)"
        settings["data"] = data.description
        settings["target training error"] = percent(plan.targetError)
        settings["optimizers"] = plan.optimizers.map(describe).joined(separator: "; ")
        settings["initialization"] = "He normal (gain for the negative slope), biases 0"
        return ExperimentDocument(
            experiment: name, title: "Training efficiency: ReLU against sigmoidal units",
            summary: """
                Six activations train the same \(settings["architecture"]!) network on the same \
                \(data.description), \(plan.seeds.count) seeds each, \(plan.budget.epochs) epochs, with \
                SGD + momentum (as Krizhevsky et al. 2012) and with Adam. Training error is measured \
                while learning; the time to reach \(percent(plan.targetError)) training error is \
                interpolated within the epoch. Krizhevsky et al. report 6× fewer epochs for ReLU than \
                tanh on CIFAR-10 with a convolutional network; this is a multilayer perceptron on \
                Fashion-MNIST, so expect a smaller factor. A diverged seed (a training or validation loss \
                that is NaN or infinite) counts as a failure: it never reaches the target and its final \
                accuracy is chance.
                """,
            settings: settings, claims: results.claims(), figures: try EfficiencyFigures.write(results, to: context.output),
            tables: results.tables(), wallSeconds: 0,
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
