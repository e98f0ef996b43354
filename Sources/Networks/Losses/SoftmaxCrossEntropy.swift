import Activations

/// Softmax cross-entropy on logits, per row (B = batch, C = classes):
///
/// ```
/// loss_b = logsumexp(f_b) − f_b[label],  logsumexp(f) = max(f) + log Σ_j exp(f_j − max(f))
/// ∂/∂f_bj = (softmax(f_b)_j − [j = label]) / B
/// ```
///
/// Subtracting the row maximum first keeps every exponent ≤ 0: no overflow for any finite
/// logits, and the largest term is exactly 1, so the sum is never 0.
enum SoftmaxCrossEntropy {
    static func compute<T: ActivationScalar>(
        _ outputs: MatrixBuffer<T>, _ labels: UnsafePointer<Int>, _ gradient: MatrixBuffer<T>
    ) -> (sum: Double, correct: Int) {
        let classes = outputs.columns
        let inverseBatch = 1 / T(outputs.rows)
        var total = 0.0, correct = 0
        for row in 0..<outputs.rows {
            let f = outputs.base + row * classes, g = gradient.base + row * classes
            var maximum = f[0], best = 0
            for j in 1..<classes where f[j] > maximum {
                maximum = f[j]
                best = j
            }
            var sum: T = 0
            for j in 0..<classes {
                let e = T.exp(f[j] - maximum)
                g[j] = e
                sum += e
            }
            let label = labels[row]
            total += Double(maximum + T.log(sum) - f[label])
            let scale = inverseBatch / sum
            for j in 0..<classes { g[j] *= scale }
            g[label] -= inverseBatch
            if best == label { correct += 1 }
        }
        return (total, correct)
    }
}
