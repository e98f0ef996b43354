import Activations

/// When a loss says that a run has diverged: the one rule every training loop and experiment
/// applies, to the training batches and to held-out data alike.
///
/// ```
/// diverged ⇔ loss is NaN or ±∞
///          or (a baseline b > 0 is known) loss > errorFactor · b
/// ```
///
/// The baseline is the error of the mean predictor, the model that always outputs the
/// training targets' mean: its mean squared error on the data. Classification losses have no
/// baseline here, so only a non-finite loss counts.
///
/// Why 10³: a network that learned nothing scores about 1× the mean predictor; the
/// leaky-units runs that did not diverge scored at most 1.2× (2026-12-07), 8.8× once
/// (2026-11-29). A diverged recurrent network's error grows geometrically with the sequence
/// length: the training losses that exploded there were 10⁸–10³⁵ and the held-out MSEs
/// 10³²–10⁵⁸, 10⁹ times the mean predictor's and more. A factor of 10³ lies two orders of
/// magnitude above the one and six below the other, so no verdict depends on its exact value.
public enum DivergenceRule {
    /// A regression error above this multiple of the mean predictor's counts as diverged.
    public static let errorFactor = 1000.0

    /// Why `loss` shows divergence, or nil when it does not.
    ///
    /// - Parameters:
    ///   - loss: the mean loss (training batch or held-out set).
    ///   - baseline: the mean predictor's loss on the same data; nil (or not a finite
    ///     number > 0) for a loss without one, which then diverges only when non-finite.
    ///   - what: names the loss in the reason, e.g. "the validation loss".
    /// - Returns: e.g. "the validation loss is nan", or "the held-out MSE is 2.5e+57, over
    ///   1000× the mean predictor's 0.16666666666666666".
    public static func reason(loss: Double, baseline: Double?, what: String) -> String? {
        guard loss.isFinite else { return "\(what) is \(loss)" }
        guard let baseline, baseline > 0, baseline.isFinite, loss > errorFactor * baseline else { return nil }
        return "\(what) is \(loss), over \(Int(errorFactor))× the mean predictor's \(baseline)"
    }

    /// The mean predictor's mean squared error on `data` with `mean` as its prediction:
    /// `(1/(n·C))·Σ_b Σ_j (t_bj − mean_j)²`, nil for class labels.
    public static func meanPredictorError<Scalar: ActivationScalar>(_ data: Dataset<Scalar>, mean: [Double]) -> Double? {
        guard case .values(let values) = data.targets, values.columns == mean.count else { return nil }
        var total = 0.0
        for row in 0..<values.rows {
            for column in 0..<values.columns {
                let difference = Double(values[row, column]) - mean[column]
                total += difference * difference
            }
        }
        return total / (Double(values.rows) * Double(values.columns))
    }

    /// Each target column's mean over `data`; nil for class labels.
    public static func targetMeans<Scalar: ActivationScalar>(_ data: Dataset<Scalar>) -> [Double]? {
        guard case .values(let values) = data.targets else { return nil }
        var sums = [Double](repeating: 0, count: values.columns)
        for row in 0..<values.rows {
            for column in 0..<values.columns { sums[column] += Double(values[row, column]) }
        }
        return sums.map { $0 / Double(values.rows) }
    }
}
