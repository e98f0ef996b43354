import Activations

/// The binary margin losses, built from the family's own definitions: with y ∈ {−1, +1}
/// and m = y·f,
///
/// ```
/// logistic       softplus(−m)      ∂/∂f = −y·softplus′(−m)
/// hinge          relu(1 − m)       ∂/∂f = −y·relu′(1 − m)
/// squared hinge  relu(1 − m)²      ∂/∂f = −2y·relu(1 − m)
/// perceptron     relu(−m)          ∂/∂f = −y·relu′(−m)
/// ```
///
/// One output: y = +1 for class 1, −1 for class 0. C ≥ 2 outputs: one-vs-rest, summed.
enum MarginLoss {
    static func compute<T: ActivationScalar>(
        _ loss: Loss, _ outputs: MatrixBuffer<T>, _ labels: UnsafePointer<Int>,
        _ gradient: MatrixBuffer<T>
    ) -> (sum: Double, correct: Int) {
        let columns = outputs.columns
        let inverseBatch = 1 / T(outputs.rows)
        let softplus = Softplus(), relu = ReLU()
        var total = 0.0, correct = 0
        for row in 0..<outputs.rows {
            let f = outputs.base + row * columns, g = gradient.base + row * columns
            let label = labels[row]
            for j in 0..<columns {
                let positive = columns == 1 ? label == 1 : label == j
                let y: T = positive ? 1 : -1
                let margin = y * f[j]
                let value: T, slope: T
                switch loss {
                case .logistic:
                    value = softplus.value(-margin)
                    slope = -y * softplus.derivative(-margin)
                case .hinge:
                    value = relu.value(1 - margin)
                    slope = -y * relu.derivative(1 - margin)
                case .squaredHinge:
                    let excess = relu.value(1 - margin)
                    value = excess * excess
                    slope = -2 * y * excess
                default:
                    value = relu.value(-margin)
                    slope = -y * relu.derivative(-margin)
                }
                total += Double(value)
                g[j] = slope * inverseBatch
            }
            if Sequential<T>.predictedClass(UnsafeBufferPointer(start: f, count: columns)) == label {
                correct += 1
            }
        }
        return (total, correct)
    }
}

/// Weston–Watkins multi-class hinge, scaled as PyTorch's `MultiMarginLoss` (margin 1):
///
/// ```
/// loss_b = (1/C)·Σ_{j≠y} relu(1 − f_y + f_j)
/// ∂/∂f_j = relu′(1 − f_y + f_j)/C (j ≠ y),   ∂/∂f_y = −Σ_{j≠y} ∂/∂f_j
/// ```
///
/// Every class that comes within the margin of the true one is pushed down (Crammer and
/// Singer's form would push only the worst one).
enum MulticlassHinge {
    static func compute<T: ActivationScalar>(
        _ outputs: MatrixBuffer<T>, _ labels: UnsafePointer<Int>, _ gradient: MatrixBuffer<T>
    ) -> (sum: Double, correct: Int) {
        let classes = outputs.columns
        let scale = 1 / (T(outputs.rows) * T(classes))
        let relu = ReLU()
        var total = 0.0, correct = 0
        for row in 0..<outputs.rows {
            let f = outputs.base + row * classes, g = gradient.base + row * classes
            let label = labels[row]
            var rowLoss: T = 0, labelSlope: T = 0
            for j in 0..<classes where j != label {
                let violation = 1 - f[label] + f[j]
                rowLoss += relu.value(violation)
                g[j] = relu.derivative(violation) * scale
                labelSlope -= g[j]
            }
            g[label] = labelSlope
            total += Double(rowLoss) / Double(classes)
            if Sequential<T>.predictedClass(UnsafeBufferPointer(start: f, count: classes)) == label {
                correct += 1
            }
        }
        return (total, correct)
    }
}
