import Plotting

/// The efficiency experiment's plots: learning curves against epochs and against seconds
/// (mean over seeds, band from the fastest to the slowest seed), and the time to the target
/// as bars with min–max error bars.
enum EfficiencyFigures {
    static func write(_ results: EfficiencyResults, to output: ExperimentOutput) throws -> [FigureReference] {
        let target = EfficiencyExperiment.percent(results.targetError)
        let seeds = results.trials.map(\.seed).max().map { Int($0) + 1 } ?? 0
        let targetLine = ReferenceLine(.horizontal, at: results.targetError * 100, label: "target \(target)")
        var figures: [FigureReference] = []
        for (file, bySeconds) in [("efficiency-epochs.svg", false), ("efficiency-seconds.svg", true)] {
            let panels = try results.optimizers.map { optimizer throws -> SmallMultiples.Panel in
                .line(LineChart(
                    title: optimizer,
                    xAxis: bySeconds ? Axis("training time", unit: "s", includesZero: true) : Axis("epoch"),
                    yAxis: Axis("training error", unit: "%", scale: .logarithmic),
                    series: try curves(results, optimizer: optimizer, bySeconds: bySeconds),
                    referenceLines: [targetLine]))
            }
            let chart = SmallMultiples(
                title: bySeconds ? "Training error against wall time" : "Training error against epochs",
                subtitle: "Mean of \(seeds) seeds; the band spans the lowest to the highest seed",
                panels: panels, columns: 2, panelSize: ChartSize(width: 480, height: 340), sharesYRange: true)
            figures.append(try output.figure(
                chart, file,
                caption: bySeconds
                    ? "Training error (measured while learning) against training seconds, one line per activation; "
                        + "an epoch counts as the median epoch time of the activation's runs (mean over seeds). "
                        + "The dashed line is the \(target) target."
                    : "Training error (measured while learning, log scale) after each epoch; lower is better. "
                        + "The dashed line is the \(target) target."))
        }
        let bars = SmallMultiples(
            title: "Time to \(target) training error",
            subtitle: "Mean of \(seeds) seeds; error bars span the fastest to the slowest seed; n/a: not reached",
            panels: [
                .bar(try timeBars(results, seconds: false)), .bar(try timeBars(results, seconds: true)),
            ],
            columns: 2, panelSize: ChartSize(width: 480, height: 340))
        figures.append(try output.figure(
            bars, "efficiency-time-to-target.svg",
            caption: "Epochs (left) and seconds (right) each activation needs to first reach \(target) training "
                + "error, per optimiser at the shared and at the tuned rates; shorter is better. Seeds that never reach "
                + "it are left out of the mean."))
        let tuned = results.optimizers.filter { $0.hasSuffix(NamedOptimizer.tunedSuffix) }
        if !tuned.isEmpty {
            let board = SmallMultiples(
                title: "Leaderboard: test accuracy at each activation's tuned rate",
                subtitle: "Mean of \(seeds) seeds, best first; error bars ± one standard deviation",
                panels: try tuned.map { .bar(try leaderboard(results, optimizer: $0)) }, columns: 1,
                panelSize: ChartSize(width: 960, height: 360))
            figures.append(try output.figure(
                board, "efficiency-leaderboard.svg",
                caption: "Claim 7: every activation's test accuracy after training at its own tuned rate, one panel per "
                    + "optimiser, best on the left; ReLU is among the best when its error bar reaches the best one's."))
        }
        return figures
    }

    private static func leaderboard(_ results: EfficiencyResults, optimizer: String) throws -> BarChart {
        let board = results.leaderboard(optimizer: optimizer)
        return BarChart(
            title: optimizer, categories: board.map(\.activation), categoryAxisLabel: "activation",
            valueAxis: Axis("test accuracy", unit: "%"),
            series: [try BarSeries(
                name: "test accuracy", values: board.map { $0.accuracy.mean * 100 },
                errors: .symmetric(board.map { $0.accuracy.count > 1 ? $0.accuracy.standardDeviation * 100 : 0 }))],
            valueLabels: .significantDigits(3))
    }

    private static func curves(_ results: EfficiencyResults, optimizer: String, bySeconds: Bool) throws -> [LineSeries] {
        try results.activations(for: optimizer).map { activation in
            let runs = results.trials.matching(activation: activation, optimizer: optimizer)
            let errors = SeedStatistics.pointwise(runs.map { $0.trainErrors.map { $0 * 100 } })
            let x = bySeconds
                ? errors.indices.map { Double($0 + 1) * SeedStatistics(runs.map(\.medianEpochSeconds)).mean }
                : errors.indices.map { Double($0 + 1) }
            return try LineSeries(
                name: activation, x: x, y: errors.map(\.mean),
                band: LineSeries.Band(lower: errors.map(\.minimum), upper: errors.map(\.maximum)))
        }
    }

    private static func timeBars(_ results: EfficiencyResults, seconds: Bool) throws -> BarChart {
        let series = try results.optimizers.map { optimizer in
            let statistics = results.activations(for: results.optimizers[0]).map {
                let summary = results.summary(activation: $0, optimizer: optimizer)
                return seconds ? summary.secondsToTarget : summary.epochsToTarget
            }
            return try BarSeries(
                name: optimizer, values: statistics.map(\.mean),
                errors: .interval(lower: statistics.map(\.minimum), upper: statistics.map(\.maximum)))
        }
        return BarChart(
            title: seconds ? "seconds" : "epochs", categories: results.activations(for: results.optimizers[0]),
            categoryAxisLabel: "activation",
            valueAxis: seconds ? Axis("time to target", unit: "s", includesZero: true)
                : Axis("epochs to target", includesZero: true),
            series: series, valueLabels: .significantDigits(2))
    }
}
