import Activations

extension LeakyRecurrentLayer {
    /// How far back the gradient reaches: for each step t of the last forward pass,
    /// `‖∂h(T−1)/∂h(t)‖_F / √units`, averaged over the first `samples` sequences.
    ///
    /// The Jacobian of one step is `J(t) = diag(α) + diag((1 − α) ⊙ σ′(Z(t)))·U`, and
    /// `∂h(T−1)/∂h(t) = J(T−1)·…·J(t+1)`; the last entry (t = T − 1) is ‖I‖/√units = 1. With
    /// U = 0 the curve is α^(T−1−t): leaks near one keep it near one for about 1/(1 − α) steps,
    /// α = 0 cuts it after one step. The division by √units makes it the root-mean-square
    /// singular value of the product.
    ///
    /// Time: O(samples · T · units³) (one `units × units × units` GEMM per step and sample).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when no forward pass ran or
    ///   `samples` is not in `1…batchSize`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gradientReach(samples: Int) throws(NetworkError) -> [Double] {
        guard length > 0 else {
            throw .shapeMismatch(what: "gradient reach", detail: "no forward pass ran")
        }
        guard samples >= 1, samples <= batchSize else {
            throw .shapeMismatch(what: "gradient reach", detail: "samples \(samples) is not in 1…\(batchSize)")
        }
        let units = configuration.units
        let recurrent = MatrixBuffer(
            parameters.values.baseAddress! + places.recurrentWeight.offset, rows: units, columns: units)
        let product = AlignedStorage<Scalar>(count: units * units)
        let next = AlignedStorage<Scalar>(count: units * units)
        let scaled = AlignedStorage<Scalar>(count: units * units)
        let oneMinusAlpha = alphas.map { 1 - $0 }
        var derivative = [Scalar](repeating: 0, count: units)
        var reach = [Double](repeating: 0, count: length)
        let normalisation = Double(units).squareRoot()
        for sample in 0..<samples {
            product.buffer.update(repeating: 0)
            for j in 0..<units { product.base[j * units + j] = 1 }
            var current = product.base, other = next.base
            reach[length - 1] += 1
            for step in stride(from: length - 1, through: 1, by: -1) {
                let z = workspace.stepSlice(workspace.preActivations, step: step, batchSize: batchSize, columns: units)
                oneMinusAlpha.withUnsafeBufferPointer { weights in
                    derivative.withUnsafeMutableBufferPointer { d in
                        configuration.activation.backward(
                            input: UnsafeBufferPointer(start: z.base + sample * units, count: units),
                            gradientOutput: weights, into: d)
                    }
                }
                for row in 0..<units {
                    let m = current + row * units, s = scaled.base + row * units, o = other + row * units
                    for k in 0..<units {
                        s[k] = m[k] * derivative[k]
                        o[k] = m[k] * alphas[k]
                    }
                }
                BLAS.gemm(
                    MatrixBuffer(scaled.base, rows: units, columns: units), recurrent,
                    into: MatrixBuffer(other, rows: units, columns: units), beta: 1)
                swap(&current, &other)
                reach[step - 1] += GradientNormClipping.euclideanNorm(
                    UnsafeBufferPointer(start: current, count: units * units)) / normalisation
            }
        }
        return reach.map { $0 / Double(samples) }
    }
}
