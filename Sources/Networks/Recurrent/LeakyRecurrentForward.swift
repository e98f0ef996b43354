import Activations
import Runtime

extension LeakyRecurrentLayer {
    /// Runs the layer over `inputs`, `batchSize × length × inputSize` batch-major, keeping
    /// what the backward pass needs. Read the result with ``state(at:)``, ``lastState`` or
    /// ``allStates()``.
    ///
    /// ```
    /// Z = X·Wᵀ + b                                   one GEMM over all T·B rows
    /// for t in 0..<T:
    ///     Z(t) += h(t−1)·Uᵀ   (t > 0)                 one GEMM (B × H × H)
    ///     S(t)  = σ(Z(t))                             activation kernel
    ///     h(t)  = α ⊙ h(t−1) + (1 − α) ⊙ S(t)
    /// ```
    ///
    /// Time: O(T·B·H·(F + H)), dominated by the GEMMs for H ≳ 64.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when `length` or `batchSize`
    ///   is < 1 or `inputs.count` is not `batchSize · length · inputSize`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(
        _ inputs: UnsafeBufferPointer<Scalar>, batchSize: Int, length: Int
    ) throws(NetworkError) {
        try validateSequences(count: inputs.count, batchSize: batchSize, length: length)
        let features = configuration.inputSize, units = configuration.units
        let steps = batchSize * length
        workspace.reserve(steps: steps, batchSize: batchSize, features: features, units: units)
        self.batchSize = batchSize
        self.length = length
        refreshAlphas()
        let x = workspace.inputs
        for sequence in 0..<batchSize {
            for step in 0..<length {
                (x + (step * batchSize + sequence) * features)
                    .update(from: inputs.baseAddress! + (sequence * length + step) * features, count: features)
            }
        }
        let values = parameters.values.baseAddress!
        let weight = MatrixBuffer(values + places.inputWeight.offset, rows: units, columns: features)
        let recurrent = MatrixBuffer(values + places.recurrentWeight.offset, rows: units, columns: units)
        Dense.forward(
            output: MatrixBuffer(workspace.preActivations, rows: steps, columns: units),
            input: MatrixBuffer(x, rows: steps, columns: features), weight: weight,
            bias: values + places.bias.offset)
        alphas.withUnsafeBufferPointer { alpha in
            for step in 0..<length {
                let z = workspace.stepSlice(workspace.preActivations, step: step, batchSize: batchSize, columns: units)
                let s = workspace.stepSlice(workspace.activations, step: step, batchSize: batchSize, columns: units)
                let h = workspace.stepSlice(workspace.states, step: step, batchSize: batchSize, columns: units)
                var previous: UnsafeMutablePointer<Scalar>? = nil
                if step > 0 {
                    let states = workspace.stepSlice(
                        workspace.states, step: step - 1, batchSize: batchSize, columns: units)
                    BLAS.gemm(states, recurrent, into: z, transposeB: true, beta: 1)
                    previous = states.base
                }
                Self.leak(
                    alpha.baseAddress!, previous: previous, preActivations: z, activations: s, into: h,
                    activation: configuration.activation)
            }
        }
    }

    /// S = σ(Z), then h = α ⊙ h(t−1) + (1 − α) ⊙ S row by row (h(−1) = 0 when `previous` is nil).
    @inline(__always)
    static func leak(
        _ alpha: UnsafePointer<Scalar>, previous: UnsafeMutablePointer<Scalar>?,
        preActivations z: MatrixBuffer<Scalar>, activations s: MatrixBuffer<Scalar>,
        into h: MatrixBuffer<Scalar>, activation: Activation
    ) {
        let start = Profiling.start()
        activation.forward(UnsafeBufferPointer(z.buffer), into: s.buffer)
        Profiling.stop(start, .activations)
        let units = h.columns
        for row in 0..<h.rows {
            let out = h.base + row * units, fresh = s.base + row * units
            if let previous {
                let old = previous + row * units
                for j in 0..<units { out[j] = alpha[j] * old[j] + (1 - alpha[j]) * fresh[j] }
            } else {
                for j in 0..<units { out[j] = (1 - alpha[j]) * fresh[j] }
            }
        }
    }
}
