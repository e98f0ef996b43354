import Foundation
import Plotting

/// The initialisation experiment's plots and table.
enum InitialisationFigures {
    /// Writes `initialisation-success.svg` (success rate vs scale) and
    /// `initialisation-accuracy.svg` (final accuracy vs scale, with the seed spread).
    static func write(_ results: InitialisationResults, to output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let configuration = results.configuration
        let target = Int((configuration.targetAccuracy * 100).rounded())
        var successSeries: [LineSeries] = [], accuracySeries: [LineSeries] = []
        do {
            for activation in configuration.activations {
                let scales = configuration.scales.filter { !results.runs(activation: activation, scale: $0).isEmpty }
                guard !scales.isEmpty else { continue }
                successSeries.append(try LineSeries(
                    name: activation, x: scales,
                    y: scales.map { 100 * (results.successRate(activation: activation, scale: $0) ?? 0) }))
                let accuracies = scales.map { scale in
                    results.runs(activation: activation, scale: scale).map { 100 * $0.validationAccuracy }
                }
                accuracySeries.append(try LineSeries(
                    name: activation, x: scales, y: accuracies.map { SeedStatistics($0).mean },
                    band: LineSeries.Band(lower: accuracies.map { $0.min()! }, upper: accuracies.map { $0.max()! })))
            }
        } catch {
            throw .cannotWrite(path: output.directory, reason: error.description)
        }
        let success = LineChart(
            title: "Runs reaching \(target) % validation accuracy",
            subtitle: "\(configuration.seeds.count) seeds per point; \(configuration.epochs) epochs",
            xAxis: Axis("initial weight scale (× He or Glorot)", scale: .logarithmic),
            yAxis: Axis("runs reaching the target", unit: "%", range: 0...100),
            series: successSeries)
        let accuracy = LineChart(
            title: "Validation accuracy after \(configuration.epochs) epochs",
            subtitle: "mean of \(configuration.seeds.count) seeds, band min–max; diverged runs count at 10 %",
            xAxis: Axis("initial weight scale (× He or Glorot)", scale: .logarithmic),
            yAxis: Axis("validation accuracy", unit: "%"),
            series: accuracySeries,
            referenceLines: [ReferenceLine(.horizontal, at: Double(target), label: "target")])
        return [
            try output.figure(
                success, "\(InitialisationExperiment.name)-success.svg",
                caption: "Share of runs that reach the target accuracy, against the multiplier of the usual initial standard deviation (log scale); a flat line at 100 % is an activation insensitive to the initial scale."),
            try output.figure(
                accuracy, "\(InitialisationExperiment.name)-accuracy.svg",
                caption: "Validation accuracy after the budget against the initial scale, mean and min–max over seeds."),
        ]
    }

    /// Accuracy (mean ± sd) and success count for every (activation, scale).
    /// Validation accuracy and success per (rate, activation, scale) with numeric `mean`,
    /// `sd`, `n` columns, and the tuned rates.
    static func tables(_ results: InitialisationResults) -> [ResultTable] {
        let configuration = results.configuration
        var rows: [SeedTable.Row] = []
        for (tuned, activation, columns) in configuration.rateSettings {
            for scale in configuration.scales {
                let runs = results.runs(activation: activation, scale: scale, tuned: tuned)
                guard !runs.isEmpty else { continue }
                let setting = columns + [SeedTable.number(scale), runs[0].scheme]
                rows += [
                    SeedTable.Row(setting: setting, figure: "validation_accuracy", values: runs.map(\.validationAccuracy)),
                    SeedTable.Row(setting: setting, figure: "reached_target", values: runs.map { $0.reachedTarget ? 1 : 0 }),
                    SeedTable.Row(setting: setting, figure: "diverged", values: runs.map { $0.diverged ? 1 : 0 }),
                ]
            }
        }
        var tables = [SeedTable.summary(
            title: "Initialisation: validation accuracy after \(configuration.epochs) epochs by initial scale over seeds "
                + "(a diverged run counts at chance, 0.1)",
            settingColumns: ["rate", "activation", "learning_rate", "scale", "scheme"], rows: rows)]
        if let tunedRates = configuration.tunedRates { tables.append(tunedRates.table) }
        return tables
    }
}
