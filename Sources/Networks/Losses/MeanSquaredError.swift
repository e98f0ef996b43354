import Activations

/// Mean squared error per sample, averaged over the C outputs as PyTorch's `MSELoss`:
///
/// ```
/// loss_b = (1/C)·Σ_j (f_bj − t_bj)²,   ∂/∂f_bj = 2·(f_bj − t_bj) / (C·B)
/// ```
///
/// Class labels become one-hot rows (C ≥ 2) or the label itself (one output).
enum MeanSquaredError {
    static func compute<T: ActivationScalar>(
        _ outputs: MatrixBuffer<T>, _ targets: TargetBatch<T>, _ gradient: MatrixBuffer<T>
    ) -> (sum: Double, correct: Int) {
        let columns = outputs.columns
        let scale = 2 / (T(outputs.rows) * T(columns))
        var total = 0.0, correct = 0
        for row in 0..<outputs.rows {
            let f = outputs.base + row * columns, g = gradient.base + row * columns
            var rowLoss: T = 0
            for j in 0..<columns {
                let target: T
                switch targets {
                case .values(let values): target = values[row, j]
                case .classes(let labels): target = columns == 1 ? T(labels[row]) : (labels[row] == j ? 1 : 0)
                }
                let difference = f[j] - target
                rowLoss += difference * difference
                g[j] = scale * difference
            }
            total += Double(rowLoss) / Double(columns)
            if case .classes(let labels) = targets,
                Sequential<T>.predictedClass(UnsafeBufferPointer(start: f, count: columns)) == labels[row]
            {
                correct += 1
            }
        }
        return (total, correct)
    }
}
