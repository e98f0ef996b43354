import Foundation
import Plotting

/// The depth experiment's plots and tables.
enum DepthFigures {
    /// Writes `depth-loss.svg` (heat map) and `depth-gradients.svg` (per-layer gradient
    /// norms) into `output`.
    static func write(_ results: DepthResults, to output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let configuration = results.configuration
        let lossFile = "\(DepthExperiment.name)-loss.svg"
        let gradientFile = "\(DepthExperiment.name)-gradients.svg"
        let heatMap = HeatMap(
            title: "Training loss after \(configuration.epochs) epochs",
            subtitle: "mean of \(configuration.seeds.count) seeds; diverged runs count as chance (2.30)",
            rowLabels: configuration.activations, columnLabels: configuration.depths.map(String.init),
            values: configuration.activations.map { activation in
                configuration.depths.map { depth in
                    let losses = DepthVerdict.verdictLosses(results, activation: activation, depth: depth)
                    return losses.isEmpty ? .nan : SeedStatistics(losses).mean
                }
            },
            rowAxisLabel: "activation", columnAxisLabel: "hidden layers (width \(configuration.width))",
            scaleLabel: "cross-entropy", colorRange: 0...DepthVerdict.chanceLoss,
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
        do {
            try heatMap.write(toFile: output.path(lossFile))
            try grid.write(toFile: output.path(gradientFile))
        } catch {
            throw .cannotWrite(path: output.directory, reason: error.description)
        }
        return [
            FigureReference(
                file: lossFile,
                caption: "Training loss after the same budget for each activation (rows) and number of hidden layers (columns); lower is better, 2.30 is chance."),
            FigureReference(
                file: gradientFile,
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
    static func tables(_ results: DepthResults) -> [ResultTable] {
        let configuration = results.configuration
        var rows: [[String]] = []
        for activation in configuration.activations {
            for depth in configuration.depths {
                let runs = results.runs(activation: activation, depth: depth)
                let losses = DepthVerdict.verdictLosses(results, activation: activation, depth: depth)
                let accuracies = runs.filter { !$0.diverged }.compactMap(\.validationAccuracy)
                guard !losses.isEmpty else { continue }
                let loss = SeedStatistics(losses), accuracy = SeedStatistics(accuracies)
                let ratio = DepthVerdict.firstToLastRatio(results, activation, depth)
                rows.append([
                    activation, String(depth),
                    String(format: "%.3f ± %.3f", loss.mean, loss.standardDeviation),
                    String(format: "%.1f ± %.1f", 100 * accuracy.mean, 100 * accuracy.standardDeviation),
                    ratio.map { String(format: "%.2e", $0) } ?? "–",
                    String(runs.filter(\.diverged).count),
                ])
            }
        }
        return [ResultTable(
            title: "Depth: training loss and validation accuracy after \(configuration.epochs) epochs (mean ± sd over \(configuration.seeds.count) seeds; a diverged run counts as chance, ln 10, in the loss and is left out of the accuracy)",
            columns: ["activation", "hidden layers", "training loss", "validation accuracy (%)", "‖∇first‖/‖∇last‖ at init", "diverged runs"],
            rows: rows)]
    }
}
