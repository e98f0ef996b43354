import Plotting

/// The convolutional experiment's plots: Krizhevsky et al.'s Figure 1 redrawn from this run
/// (ReLU solid, tanh dashed, the measured ratio beside the paper's 6×), the whole family's
/// learning curves, and the tuning scores against the rate.
enum ConvolutionalFigures {
    static func write(_ results: ConvolutionalResults, to output: ExperimentOutput, machine: String) throws
        -> [FigureReference]
    {
        let seeds = results.seedCount
        let paperTarget = results.targets.first ?? 0.25
        let targetLines = results.targets.map {
            ReferenceLine(.horizontal, at: $0 * 100, label: ConvolutionalResults.percent($0))
        }
        var figures: [FigureReference] = []
        let pair = ["relu", "tanh"].filter { !results.runs($0).isEmpty }
        if !pair.isEmpty {
            let styles = [SeriesStyle(color: .black, dash: .solid), SeriesStyle(color: .black, dash: .dashed, marker: .square)]
            let series = try zip(pair, styles).map { try curve(results, $0, style: $1, band: false) }
            let chart = LineChart(
                title: "Figure 1 redrawn: the four-layer network on Fashion-MNIST",
                subtitle: "tanh/ReLU epochs to \(ConvolutionalResults.percent(paperTarget)): "
                    + "\(results.ratioText(of: "tanh", target: paperTarget)) here, 6× in the paper (CIFAR-10) · mean of "
                    + "\(seeds) seeds at tuned rates · \(machine)",
                xAxis: Axis("epoch", includesZero: true), yAxis: Axis("training error", unit: "%", range: 0...75),
                series: series, referenceLines: targetLines, size: ChartSize(width: 760, height: 440))
            figures.append(try output.figure(
                chart, "convolutional-figure1.svg",
                caption: "Training error (measured while learning) against epochs, ReLU solid and tanh dashed as in the "
                    + "paper's Figure 1; epoch 0 is chance (90 %). The dashed lines are the targets."))
        }
        let family = try results.activations.map { try curve(results, $0.activation, style: nil, band: true) }
        let tuning = try results.activations.map { entry in
            try LineSeries(
                name: entry.activation, x: entry.tuning.grid, y: entry.tuning.validationAccuracies.map { $0 * 100 })
        }
        let grid = SmallMultiples(
            title: "The family on the four-layer network",
            subtitle: "Mean of \(seeds) seeds (band: lowest to highest seed); \(machine)",
            panels: [
                .line(LineChart(
                    title: "training error, each at its tuned rate", xAxis: Axis("epoch"),
                    yAxis: Axis("training error", unit: "%", scale: .logarithmic), series: family,
                    referenceLines: targetLines)),
                .line(LineChart(
                    title: "rate tuning", xAxis: Axis("learning rate", scale: .logarithmic),
                    yAxis: Axis("validation accuracy", unit: "%"), series: tuning)),
            ],
            columns: 2, panelSize: ChartSize(width: 480, height: 360))
        figures.append(try output.figure(
            grid, "convolutional-family.svg",
            caption: "Left: training error against epochs for every activation at its tuned rate (log scale); lower "
                + "is better. Right: the tuning seeds' mean validation accuracy at each candidate rate; the best is "
                + "the activation's rate."))
        return figures
    }

    /// Mean training error (%) over the seeds after each epoch, from epoch 0 (chance) on.
    private static func curve(_ results: ConvolutionalResults, _ activation: String, style: SeriesStyle?, band: Bool)
        throws -> LineSeries
    {
        let runs = results.runs(activation).filter { !$0.diverged }
        let errors = SeedStatistics.pointwise(runs.map { $0.trainErrors.map { $0 * 100 } })
        let chance = (1 - results.chanceAccuracy) * 100
        let x = (0...errors.count).map(Double.init)
        return try LineSeries(
            name: activation, x: band ? Array(x.dropFirst()) : x,
            y: (band ? [] : [chance]) + errors.map(\.mean),
            band: band ? LineSeries.Band(lower: errors.map(\.minimum), upper: errors.map(\.maximum)) : nil,
            style: style)
    }
}
