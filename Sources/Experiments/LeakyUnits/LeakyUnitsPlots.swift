import Datasets
import Plotting

/// The leaky-units experiment's figures, written next to its JSON.
enum LeakyUnitsPlots {
    /// A legend name: "multiscale · relu".
    static func label(_ variant: String, _ activation: String) -> String { "\(variant) · \(activation)" }

    /// Final MSE against T: the median over seeds (a diverged seed counting as 1/6, as in the
    /// verdicts), the band from the best to the worst seed that did not diverge, and a
    /// triangle at the top edge per diverged run.
    static func mseByLength(_ runs: [LeakyUnitsRun], configurations: [(String, String)], lengths: [Int]) throws
        -> LineChart
    {
        let series = try configurations.map { variant, activation in
            let cells = lengths.map { LeakyUnitsReport.cell(runs, variant, activation, $0) }
            let finished = cells.map { $0.filter { !$0.diverged }.compactMap(\.finalMSE) }
            return try LineSeries(
                name: label(variant, activation), x: lengths.map(Double.init),
                y: lengths.map { LeakyUnitsReport.medianMSE(runs, variant, activation, $0) },
                band: .init(lower: finished.map { $0.min() ?? .nan }, upper: finished.map { $0.max() ?? .nan }),
                divergedAt: cells.flatMap { $0.filter(\.diverged).map { Double($0.length) } })
        }
        return LineChart(
            title: "Adding problem: final MSE by sequence length",
            subtitle: "median over seeds (a diverged seed counts as 1/6), band from best to worst seed that did not diverge; same steps and batch for every line",
            xAxis: Axis("sequence length T", scale: .logarithmic),
            yAxis: Axis("held-out MSE", scale: .logarithmic), series: series,
            referenceLines: [
                ReferenceLine(.horizontal, at: AddingProblem.meanPredictionError, label: "predict the mean (1/6)"),
                ReferenceLine(.horizontal, at: 0.01, label: "solved (0.01)"),
            ])
    }

    /// ‖∂h(T−1)/∂h(T−1−d)‖/√units against d on log–log axes, untrained (dashed in the
    /// legend's words) and trained, seed of the first run.
    static func reach(_ runs: [LeakyUnitsRun], length: Int, activation: String, variants: [String]) throws
        -> LineChart
    {
        var series: [LineSeries] = []
        for variant in variants {
            guard let run = runs.first(where: {
                $0.variant == variant && $0.activation == activation && $0.length == length
            }) else { continue }
            let kept = run.reachDistances.indices.filter { run.reachDistances[$0] >= 1 }
            let x = kept.map { Double(run.reachDistances[$0]) }
            series.append(try LineSeries(name: "\(variant), untrained", x: x, y: kept.map { run.reachUntrained[$0] }))
            // A diverged run's trained weights may give an exploded reach: not drawn.
            if !run.diverged {
                series.append(try LineSeries(name: "\(variant), trained", x: x, y: kept.map { run.reachTrained[$0] }))
            }
        }
        return LineChart(
            title: "Gradient reach at T = \(length) (\(activation))",
            subtitle: "‖∂h(T−1)/∂h(T−1−d)‖_F / √units, mean of 4 held-out sequences, seed of the first run (trained: only if it did not diverge)",
            xAxis: Axis("distance d", unit: "steps", scale: .logarithmic),
            yAxis: Axis("reach", scale: .logarithmic), series: series)
    }

    /// Learned time constants (log₁₀ τ) after training at T = `length`, every seed that did
    /// not diverge, against their common starting spread.
    static func timeConstants(_ runs: [LeakyUnitsRun], length: Int, initial: [Double]) -> Histogram {
        var series = [HistogramSeries(name: "initial", values: initial.map { Double.log10($0) })]
        for activation in Set(runs.map(\.activation)).sorted() {
            let values = runs.filter { $0.variant == "learned" && $0.activation == activation && $0.length == length && !$0.diverged }
                .flatMap(\.learnedTimeConstants).map { Double.log10($0) }
            if !values.isEmpty { series.append(HistogramSeries(name: "learned · \(activation)", values: values)) }
        }
        return Histogram(
            title: "Learned time constants at T = \(length)",
            subtitle: "τ = 1/(1 − α) per unit after training, seeds that did not diverge; log₁₀ scale",
            xAxis: Axis("log₁₀ τ", unit: "steps"), series: series, binning: .width(0.25),
            normalization: .fraction)
    }

    /// Training-batch MSE against step at T = `length`, the first seed of each configuration.
    static func learningCurves(_ runs: [LeakyUnitsRun], length: Int, configurations: [(String, String)]) throws
        -> LineChart
    {
        let series = try configurations.compactMap { variant, activation -> LineSeries? in
            guard let run = runs.first(where: {
                $0.variant == variant && $0.activation == activation && $0.length == length
            }) else { return nil }
            return try LineSeries(name: label(variant, activation), x: run.curveSteps.map(Double.init), y: run.curveMSE ?? [])
        }
        return LineChart(
            title: "Learning curves at T = \(length)",
            subtitle: "training MSE averaged over each window of steps, first seed",
            xAxis: Axis("training step"), yAxis: Axis("training MSE", scale: .logarithmic), series: series,
            referenceLines: [ReferenceLine(.horizontal, at: AddingProblem.meanPredictionError, label: "1/6")])
    }
}
