import Activations
import Networks
import Runtime

/// The main job's comparison (`rectifier run`, not a subcommand of its own): the
/// 784-256-128-10 network trained on Fashion-MNIST with ReLU, PReLU, softplus, sigmoid and
/// tanh side by side (Adam 1e−3, batch 128, the same seed and sample order), written as
/// `fashion-mnist.json` with a table of final training loss, validation and test accuracy
/// and seconds.
package enum SideBySideComparison: Experiment {
    package static let name = "fashion-mnist"
    package static let abstract = "Fashion-MNIST: five activations side by side"
    package static let activations: [HiddenActivation] = [
        .fixed(.relu), .prelu(try! PReLUOptions()), .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// The short version trains 3 epochs, the long one 10.
    package static func configuration(_ context: ExperimentContext) -> TrialBudget {
        TrialBudget(epochs: context.full ? 10 : 3)
    }

    /// All 60 000 training images less 5 000 held out, and the 10 000 test images.
    package static func inputs(_ budget: TrialBudget, context: ExperimentContext) throws -> ExperimentData {
        try context.data(ExperimentData.Sizes(training: 55_000, validation: 5_000, test: 10_000))
    }

    /// The five networks, seed 0.
    package static func trials(_ budget: TrialBudget, inputs: ExperimentData) -> [Trial] {
        activations.map { Trial(activation: $0, seed: 0, optimizer: .adam()) }
    }

    /// One unit per training batch.
    package static func work(_ trial: Trial, configuration budget: TrialBudget, inputs: ExperimentData) -> Double {
        SideBySideRunner(data: inputs, budget: budget).workUnits([trial])
    }

    package static func measure(_ trial: Trial, configuration budget: TrialBudget, inputs: ExperimentData, progress: ProgressTask)
        throws -> TrialResult
    {
        try SideBySideRunner(data: inputs, budget: budget).run([trial], progress: progress)[0]
    }

    /// The document: a table of final training loss, validation and test accuracy and seconds.
    package static func describe(
        _ results: [TrialResult], configuration budget: TrialBudget, inputs data: ExperimentData,
        context: ExperimentContext
    ) -> ExperimentDocument<[TrialResult]> {
        let table = ResultTable(
            title: "784-\(budget.hiddenSizes.map(String.init).joined(separator: "-"))-10, Adam 1e-3, batch \(budget.batchSize), "
                + "\(budget.epochs) epochs, seed 0",
            columns: ["activation", "train loss", "train accuracy", "validation accuracy", "test accuracy", "seconds"],
            rows: results.map { result in
                let last = result.records.last
                return [
                    result.activation, last.map { SeedStatistics.fixed($0.trainLoss, decimals: 4) } ?? "n/a",
                    SeedStatistics.percent(last?.trainAccuracy, decimals: 2), SeedStatistics.percent(last?.validationAccuracy, decimals: 2),
                    result.divergence == nil ? SeedStatistics.percent(result.testAccuracy, decimals: 2) : "diverged",
                    SeedStatistics.fixed(result.cumulativeSeconds.last ?? 0, decimals: 1),
                ]
            })
        var settings = context.commonSettings
        settings["data"] = data.description
        settings["seeds"] = "1 (seed 0)"
        settings["optimizer"] = "Adam, rate 1e-3"
        return ExperimentDocument(
            experiment: name, title: "Fashion-MNIST: five activations side by side",
            summary: """
                The 784-256-128-10 network trained with each hidden activation on the same data, seed and \
                sample order; accuracy on the held-out validation images and, once at the end, on the \
                test images. Seconds count training steps only.
                """,
            settings: settings, claims: [], figures: [], tables: [table],
            divergedRuns: DivergenceCount.tally(results, setting: \.activation, diverged: \.diverged), results: results)
    }
}
