import Activations
import Networks

/// The main job's comparison (`rectifier run`): the 784-256-128-10 network trained on
/// Fashion-MNIST with ReLU, PReLU, softplus, sigmoid and tanh side by side (Adam 1e−3,
/// batch 128, the same seed and sample order), written as `fashion-mnist.json` with a table
/// of final training loss, validation and test accuracy and seconds.
package enum SideBySideComparison {
    package static let name = "fashion-mnist"
    package static let activations: [HiddenActivation] = [
        .fixed(.relu), .prelu(try! PReLUOptions()), .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// The short version trains 3 epochs, the long one 10.
    package static func budget(full: Bool) -> TrialBudget { TrialBudget(epochs: full ? 10 : 3) }
    /// All 60 000 training images less 5 000 held out, and the 10 000 test images.
    package static let sizes = ExperimentData.Sizes(training: 55_000, validation: 5_000, test: 10_000)

    /// Trains the five networks (seed 0) and writes the document; returns the results and
    /// the table.
    package static func run(_ context: ExperimentContext) throws -> (results: [TrialResult], table: ResultTable) {
        try run(context, data: try context.data(sizes), budget: budget(full: context.full))
    }

    /// The same on any data and budget (tests use tiny ones).
    package static func run(_ context: ExperimentContext, data: ExperimentData, budget: TrialBudget) throws
        -> (results: [TrialResult], table: ResultTable)
    {
        let started = ProgressTask.now()
        let runner = SideBySideRunner(data: data, budget: budget)
        let trials = activations.map { Trial(activation: $0, seed: 0, optimizer: .adam()) }
        let task = context.progress.start("fashion-mnist", totalWork: runner.workUnits(trials))
        let results = try runner.run(trials, progress: task)
        task.finish(status: "\(trials.count) networks")
        let table = ResultTable(
            title: "784-\(budget.hiddenSizes.map(String.init).joined(separator: "-"))-10, Adam 1e-3, batch \(budget.batchSize), "
                + "\(budget.epochs) epochs, seed 0",
            columns: ["activation", "train loss", "train accuracy", "validation accuracy", "test accuracy", "seconds"],
            rows: results.map { result in
                let last = result.records.last
                return [
                    result.activation, last.map { SeedStatistics.fixed($0.trainLoss, decimals: 4) } ?? "n/a",
                    percent(last?.trainAccuracy), percent(last?.validationAccuracy),
                    result.divergence == nil ? percent(result.testAccuracy) : "diverged",
                    SeedStatistics.fixed(result.cumulativeSeconds.last ?? 0, decimals: 1),
                ]
            })
        var settings = context.commonSettings
        settings["data"] = data.description
        settings["seeds"] = "1 (seed 0)"
        settings["optimizer"] = "Adam, rate 1e-3"
        let document = ExperimentDocument(
            experiment: name, title: "Fashion-MNIST: five activations side by side",
            summary: """
                The 784-256-128-10 network trained with each hidden activation on the same data, seed and \
                sample order; accuracy on the held-out validation images and, once at the end, on the \
                test images. Seconds count training steps only.
                """,
            settings: settings, claims: [], figures: [], tables: [table],
            wallSeconds: ProgressTask.now() - started,
            divergedRuns: DivergenceCount.tally(results, setting: \.activation, diverged: \.diverged), results: results)
        try context.output.write(document)
        return (results, table)
    }

    private static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "n/a" }
        return SeedStatistics.fixed(fraction * 100, decimals: 2) + "%"
    }
}
