import Activations
import Networks
import Runtime

/// Central finite differences in Double, the oracle of the gradient tests.
enum GradientCheck {
    static let step = 1e-6

    /// ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both are zero.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let scale = max(
            a.reduce(0) { $0 + $1 * $1 }.squareRoot(), b.reduce(0) { $0 + $1 * $1 }.squareRoot())
        return scale == 0 ? 0 : difference / scale
    }

    /// d/dv of `function` at every element of `values`, by central differences.
    static func numericGradient(_ values: [Double], _ function: ([Double]) throws -> Double) rethrows -> [Double] {
        var point = values
        var gradient = [Double](repeating: 0, count: values.count)
        for index in values.indices {
            point[index] = values[index] + step
            let plus = try function(point)
            point[index] = values[index] - step
            let minus = try function(point)
            point[index] = values[index]
            gradient[index] = (plus - minus) / (2 * step)
        }
        return gradient
    }

    /// Σ weights ⊙ outputs: a loss whose gradient with respect to the outputs is `weights`.
    static func projection(_ outputs: Matrix<Double>, _ weights: Matrix<Double>) -> Double {
        zip(outputs.scalars, weights.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Analytic and numeric gradients of `Σ weights ⊙ model(input)` with respect to the
    /// parameters and the input: (parameter error, input error).
    static func check(_ model: Sequential<Double>, input: Matrix<Double>, seed: UInt64) throws -> (Double, Double) {
        var generator = SeededGenerator(seed: seed)
        let weights = randomMatrix(rows: input.rows, columns: model.outputSize, in: -1...1, &generator)
        _ = try model.forward(input)
        let inputGradient = try model.backward(outputGradient: weights)
        let analytic = Array(model.parameters.gradients)
        let values = model.parameters.snapshot()
        let numeric = try numericGradient(values) { point in
            try model.parameters.restore(point)
            return projection(try model.predict(input), weights)
        }
        try model.parameters.restore(values)
        let numericInput = try numericGradient(input.scalars) { point in
            projection(try model.predict(try Matrix(rows: input.rows, columns: input.columns, scalars: point)), weights)
        }
        return (relativeError(analytic, numeric), relativeError(inputGradient.scalars, numericInput))
    }

    static func randomMatrix(
        rows: Int, columns: Int, in range: ClosedRange<Double>, _ generator: inout SeededGenerator
    ) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns) { buffer in
            generator.fillUniform(buffer, lower: range.lowerBound, upper: range.upperBound)
        }
    }

    /// Uniform values with |x| in [0.1, 1] and random signs: away from the kinks at 0.
    static func awayFromZero(rows: Int, columns: Int, _ generator: inout SeededGenerator) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns) { buffer in
            for index in buffer.indices {
                let magnitude = 0.1 + 0.9 * generator.nextDouble()
                buffer[index] = generator.nextDouble() < 0.5 ? -magnitude : magnitude
            }
        }
    }
}
