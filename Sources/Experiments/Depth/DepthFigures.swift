import Foundation
import Plotting

/// The depth experiment's plots and tables.
enum DepthFigures {
    /// Writes `depth-loss.svg` (heat map) and `depth-gradients.svg` (per-layer gradient
    /// norms) into `output`.
    static func write(_ results: DepthResults, to output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let configuration = results.configuration
        let heatMap = HeatMap(
            title: "Training loss after \(configuration.epochs) epochs",
            subtitle: "mean of \(configuration.seeds.count) seeds; diverged runs count as chance (\(SeedStatistics.format(configuration.chanceLoss)))",
            rowLabels: configuration.activations, columnLabels: configuration.depths.map(String.init),
            values: configuration.activations.map { activation in
                configuration.depths.map { depth in
                    let losses = DepthVerdict.verdictLosses(results, activation: activation, depth: depth)
                    return losses.isEmpty ? .nan : SeedStatistics(losses).mean
                }
            },
            rowAxisLabel: "activation", columnAxisLabel: "hidden layers (width \(configuration.width))",
            scaleLabel: "cross-entropy", colorRange: 0...configuration.chanceLoss,
            valueFormat: .decimals(2))
        let depths = Array(Set([configuration.depths.sorted().dropLast().last, configuration.depths.max()]
            .compactMap { $0 })).sorted()
        var panels: [SmallMultiples.Panel] = []
        for depth in depths {
            for afterTraining in [false, true] {
                panels.append(.line(try gradientChart(results, depth: depth, afterTraining: afterTraining)))
            }
        }
        let grid = SmallMultiples(
            title: "Gradient norm per Dense layer",
            subtitle: "‖∂L/∂θ‖ on \(configuration.probeSamples) training images; geometric mean of seeds, band min–max",
            panels: panels, columns: 2, sharesYRange: true)
        return [
            try output.figure(
                heatMap, "\(DepthExperiment.name)-loss.svg",
                caption: "Training loss after the same budget for each activation (rows) and number of hidden layers (columns); lower is better, ln classes (2.30 for ten) is chance."),
            try output.figure(
                grid, "\(DepthExperiment.name)-gradients.svg",
                caption: "Gradient norm of each Dense layer (1 = next to the input) at initialisation (left) and after training (right), log scale: a line falling towards layer 1 is a vanishing gradient."),
        ]
    }

    private static func gradientChart(_ results: DepthResults, depth: Int, afterTraining: Bool) throws(ExperimentError) -> LineChart {
        var series: [LineSeries] = []
        for activation in results.configuration.activations {
            let perSeed = results.runs(activation: activation, depth: depth).compactMap {
                afterTraining ? $0.gradientNormsAfterTraining : $0.gradientNormsAtInitialisation
            }
            guard let layers = perSeed.first?.count, layers > 0 else { continue }
            let columns = (0..<layers).map { layer in perSeed.map { $0[layer] } }
            let geometric = columns.map { values -> Double in
                let positive = values.filter { $0 > 0 }
                return positive.count == values.count ? exp(positive.map(log).reduce(0, +) / Double(values.count)) : 0
            }
            do {
                series.append(try LineSeries(
                    name: activation, x: (1...layers).map(Double.init), y: geometric,
                    band: LineSeries.Band(lower: columns.map { $0.min()! }, upper: columns.map { $0.max()! })))
            } catch {
                throw .failed(experiment: DepthExperiment.name, reason: error.description)
            }
        }
        return LineChart(
            title: "\(depth) hidden layers, \(afterTraining ? "after training" : "at initialisation")",
            xAxis: Axis("Dense layer (1 = input side)"),
            yAxis: Axis("gradient norm", scale: .logarithmic), series: series)
    }

    /// The table of final losses (mean ± sd) and validation accuracies, activation × depth.
    /// The numbers behind the claims per (rate, activation, depth) with numeric `mean`, `sd`,
    /// `n` columns, every run, and the tuned rates.
    static func tables(_ results: DepthResults) -> [ResultTable] {
        let configuration = results.configuration
        var rows: [SeedTable.Row] = [], perRun: [[String]] = []
        for (tuned, activation, columns) in configuration.rateSettings {
            for depth in configuration.depths {
                let runs = results.runs(activation: activation, depth: depth, tuned: tuned)
                guard !runs.isEmpty else { continue }
                let setting = columns + [String(depth)]
                rows += [
                    SeedTable.Row(
                        setting: setting, figure: "training_loss",
                        values: DepthVerdict.verdictLosses(results, activation: activation, depth: depth, tuned: tuned)),
                    SeedTable.Row(
                        setting: setting, figure: "validation_accuracy", values: runs.map { $0.validationAccuracy ?? .nan }),
                    SeedTable.Row(
                        setting: setting, figure: "diverged", values: runs.map { $0.diverged ? 1 : 0 }),
                ]
                perRun += runs.map { run in
                    setting + [
                        String(run.seed), SeedTable.number(run.trainingLoss), SeedTable.number(run.validationAccuracy),
                        SeedTable.number(
                            (run.gradientNormsAtInitialisation.first ?? .nan) / (run.gradientNormsAtInitialisation.last ?? .nan)),
                        run.diverged ? "1" : "0",
                    ]
                }
            }
        }
        let columns = ["rate", "activation", "learning_rate", "hidden_layers"]
        var tables = [
            SeedTable.summary(
                title: "Depth: training loss and validation accuracy after \(configuration.epochs) epochs over seeds (a diverged "
                    + "run counts as chance, ln classes, in the loss and is missing from the accuracy)",
                settingColumns: columns, rows: rows),
            ResultTable(
                title: "Every run (empty: diverged)",
                columns: columns + ["seed", "training_loss", "validation_accuracy", "first_to_last_gradient_at_init", "diverged"],
                rows: perRun),
        ]
        if let tunedRates = configuration.tunedRates { tables.append(tunedRates.table) }
        return tables
    }
}
