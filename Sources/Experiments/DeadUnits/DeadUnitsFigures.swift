import Foundation
import Plotting

/// The dead-unit experiment's plots and table.
enum DeadUnitsFigures {
    /// Writes `dead-units-curves.svg` (dead and inactive fractions per epoch, one panel per
    /// rate) and `dead-units-slopes.svg` (learned PReLU slopes) into `output`.
    static func write(_ results: DeadUnitsResults, to output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let configuration = results.configuration
        let grid = SmallMultiples(
            title: "Dead hidden units during training",
            subtitle: "output 0 on every probe image; mean of layers and \(configuration.seeds.count) seeds, band min–max",
            panels: try configuration.learningRates.map { rate throws(ExperimentError) in
                .line(try curveChart(results, learningRate: rate))
            },
            columns: configuration.learningRates.count, sharesYRange: true)
        var figures = [try output.figure(
            grid, "\(DeadUnitsExperiment.name)-curves.svg",
            caption: "Percentage of hidden units that are dead (output exactly 0 for every probe image) after each epoch, one panel per Adam learning rate; epoch 0 is the initialisation.")]
        let slopeSeries = configuration.learningRates.compactMap { rate -> HistogramSeries? in
            let values = results.runs(activation: "prelu", learningRate: rate).flatMap { $0.slopes.flatMap { $0 } }
            return values.isEmpty ? nil : HistogramSeries(name: String(format: "rate %g", rate), values: values)
        }
        if !slopeSeries.isEmpty {
            let histogram = Histogram(
                title: "Learned PReLU slopes after \(configuration.epochs) epochs",
                subtitle: "every unit of every hidden layer, \(configuration.seeds.count) seeds; initial slope 0.25",
                xAxis: Axis("slope α"), series: slopeSeries, normalization: .fraction)
            figures.append(try output.figure(
                histogram, "\(DeadUnitsExperiment.name)-slopes.svg",
                caption: "Distribution of PReLU's learned negative slopes per learning rate (all units, layers and seeds); they start at 0.25."))
        }
        return figures
    }

    private static func curveChart(_ results: DeadUnitsResults, learningRate: Double) throws(ExperimentError) -> LineChart {
        var series: [LineSeries] = []
        for activation in results.configuration.activations {
            let runs = results.runs(activation: activation, learningRate: learningRate)
            let epochs = runs.map(\.deadFractions.count).min() ?? 0
            guard epochs > 0 else { continue }
            let columns = (0..<epochs).map { epoch in
                runs.map { 100 * $0.meanDeadFraction(epoch: epoch) }
            }
            do {
                series.append(try LineSeries(
                    name: activation, x: (0..<epochs).map(Double.init),
                    y: columns.map { SeedStatistics($0).mean },
                    band: LineSeries.Band(lower: columns.map { $0.min()! }, upper: columns.map { $0.max()! })))
            } catch {
                throw .failed(experiment: DeadUnitsExperiment.name, reason: error.description)
            }
        }
        return LineChart(
            title: String(format: "Adam rate %g", learningRate),
            xAxis: Axis("epoch"),
            yAxis: Axis("dead units", unit: "%", includesZero: true),
            series: series)
    }

    /// Final dead and inactive fractions and accuracy per (activation, rate), mean ± sd.
    static func tables(_ results: DeadUnitsResults) -> [ResultTable] {
        let configuration = results.configuration
        var rows: [SeedTable.Row] = []
        for rate in configuration.learningRates {
            for activation in configuration.activations {
                let runs = results.runs(activation: activation, learningRate: rate)
                guard !runs.isEmpty else { continue }
                let setting = [SeedTable.number(rate), activation]
                // A diverged run counts as every unit dead, and is missing from the other figures.
                rows.append(SeedTable.Row(
                    setting: setting, figure: "dead_units_percent",
                    values: runs.map { 100 * ($0.diverged ? 1 : $0.finalMeanDeadFraction) }))
                for layer in runs[0].finalActivity.indices {
                    rows.append(SeedTable.Row(
                        setting: setting, figure: "dead_units_percent_layer_\(layer + 1)",
                        values: runs.map { $0.diverged ? .nan : 100 * $0.finalActivity[layer].deadFraction }))
                }
                rows.append(SeedTable.Row(
                    setting: setting, figure: "inactive_units_percent",
                    values: runs.map { $0.diverged ? .nan : 100 * $0.finalMeanInactiveFraction }))
                rows.append(SeedTable.Row(
                    setting: setting, figure: "validation_accuracy_percent",
                    values: runs.map { $0.diverged ? .nan : 100 * ($0.validationAccuracy ?? .nan) }))
                rows.append(SeedTable.Row(
                    setting: setting, figure: "diverged", values: runs.map { $0.diverged ? 1 : 0 }))
            }
        }
        return [SeedTable.summary(
            title: "Dead units after \(configuration.epochs) epochs over \(configuration.seeds.count) seeds (a diverged run counts as every unit dead, and is missing from the other figures)",
            settingColumns: ["adam_rate", "activation"], rows: rows)]
    }
}
