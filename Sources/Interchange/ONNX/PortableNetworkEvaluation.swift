#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PortableNetwork {
    /// The network's outputs for a batch, computed plainly in `Double`: the reference that
    /// runtimes and Rectifier's models are compared against, not a fast path.
    ///
    /// ```
    /// dense:      y[n, o] = b[o] + Σ_i x[n, i]·W[o, i]
    /// activation: y = f(x) by the member's scalar definition
    /// prelu:      y = x < 0 ? α_j·x : x
    /// softmax:    y[n, j] = exp(x[n, j] − m) / Σ_k exp(x[n, k] − m),  m = max_k x[n, k]
    /// ```
    ///
    /// - Parameters:
    ///   - inputs: `batchSize × inputSize` values, row-major.
    /// - Returns: `batchSize × outputSize` values, row-major: the probabilities when
    ///   ``endsWithSoftmax``, the logits otherwise.
    /// - Complexity: O(batchSize × parameter count).
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when `inputs.count` is not
    ///   `batchSize × inputSize`.
    public func evaluate(_ inputs: [Double], batchSize: Int) throws(ONNXError) -> [Double] {
        guard batchSize >= 0, inputs.count == batchSize * inputSize else {
            throw .invalidNetwork(
                detail: "\(inputs.count) input values for a batch of \(batchSize) × \(inputSize) features")
        }
        var values = inputs
        var width = inputSize
        for layer in layers {
            switch layer {
            case .dense(let dense):
                values = Self.dense(dense, values, batchSize: batchSize)
                width = dense.outputs
            case .activation(let activation):
                values = values.map { activation.value($0) }
            case .prelu(let slopes):
                for index in values.indices where values[index] < 0 {
                    values[index] *= slopes.count == 1 ? slopes[0] : slopes[index % width]
                }
            }
        }
        if endsWithSoftmax {
            for row in 0..<batchSize {
                Self.softmax(&values[(row * width)..<((row + 1) * width)])
            }
        }
        return values
    }

    private static func dense(_ dense: Dense, _ inputs: [Double], batchSize: Int) -> [Double] {
        var outputs = [Double](repeating: 0, count: batchSize * dense.outputs)
        for row in 0..<batchSize {
            for output in 0..<dense.outputs {
                var sum = dense.bias[output]
                for input in 0..<dense.inputs {
                    sum += inputs[row * dense.inputs + input] * dense.weights[output * dense.inputs + input]
                }
                outputs[row * dense.outputs + output] = sum
            }
        }
        return outputs
    }

    private static func softmax(_ row: inout ArraySlice<Double>) {
        let largest = row.max() ?? 0
        var total = 0.0
        for index in row.indices {
            row[index] = exp(row[index] - largest)
            total += row[index]
        }
        for index in row.indices { row[index] /= total }
    }
}
