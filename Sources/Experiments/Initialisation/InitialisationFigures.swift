import Foundation
import Plotting

/// The initialisation experiment's plots and table.
enum InitialisationFigures {
    /// Writes `initialisation-success.svg` (success rate vs scale) and
    /// `initialisation-accuracy.svg` (final accuracy vs scale, with the seed spread).
    static func write(_ results: InitialisationResults, to output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let configuration = results.configuration
        let successFile = "\(InitialisationExperiment.name)-success.svg"
        let accuracyFile = "\(InitialisationExperiment.name)-accuracy.svg"
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
            try success.write(toFile: output.path(successFile))
            try accuracy.write(toFile: output.path(accuracyFile))
        } catch {
            throw .cannotWrite(path: output.directory, reason: error.description)
        }
        return [
            FigureReference(
                file: successFile,
                caption: "Share of runs that reach the target accuracy, against the multiplier of the usual initial standard deviation (log scale); a flat line at 100 % is an activation insensitive to the initial scale."),
            FigureReference(
                file: accuracyFile,
                caption: "Validation accuracy after the budget against the initial scale, mean and min–max over seeds."),
        ]
    }

    /// Accuracy (mean ± sd) and success count for every (activation, scale).
    static func tables(_ results: InitialisationResults) -> [ResultTable] {
        let configuration = results.configuration
        var rows: [[String]] = []
        for activation in configuration.activations {
            for scale in configuration.scales {
                let runs = results.runs(activation: activation, scale: scale)
                guard !runs.isEmpty else { continue }
                let accuracy = SeedStatistics(runs.map { 100 * $0.validationAccuracy })
                rows.append([
                    activation, String(format: "%g", scale), runs[0].scheme,
                    String(format: "%.1f ± %.1f", accuracy.mean, accuracy.standardDeviation),
                    "\(runs.filter(\.reachedTarget).count)/\(runs.count)",
                    String(runs.filter { $0.divergence != nil }.count),
                ])
            }
        }
        return [ResultTable(
            title: "Initialisation: validation accuracy after \(configuration.epochs) epochs by initial scale (mean ± sd over \(configuration.seeds.count) seeds)",
            columns: ["activation", "scale", "scheme", "validation accuracy (%)", "reached target", "diverged runs"],
            rows: rows)]
    }
}
