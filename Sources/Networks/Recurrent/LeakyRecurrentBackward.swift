import Activations
import Runtime

/// Which states of a recurrent layer the loss reads, with ∂L/∂(those states).
public enum StateGradient<Scalar> {
    /// ∂L/∂h(T − 1), `batchSize × units`: the loss reads only the last states.
    case last(UnsafeBufferPointer<Scalar>)
    /// ∂L/∂h(t) for every step, batch-major `batchSize × length × units`.
    case all(UnsafeBufferPointer<Scalar>)
}

extension LeakyRecurrentLayer {
    /// Back-propagation through time for the last ``forward(_:batchSize:length:)``: writes
    /// ∂L/∂W, ∂L/∂U, ∂L/∂b (and ∂L/∂a when learned) over the layer's part of
    /// ``ParameterStore/gradients``, sets ``leakGradient`` to ∂L/∂α, and, when given,
    /// `inputGradient` (`batchSize × length × inputSize`) to ∂L/∂x.
    ///
    /// ```
    /// g = ∂L/∂h(t)                    (from the loss at t, plus what h(t+1) sends back)
    /// ∂L/∂α   += Σ_b g ⊙ (h(t−1) − S(t))
    /// dZ(t)    = (1 − α) ⊙ g ⊙ σ′(Z(t))
    /// ∂L/∂h(t−1) = α ⊙ g + dZ(t)·U                                one GEMM per step
    /// then  ∂L/∂W = dZᵀ·X,  ∂L/∂U = dZ(1…T−1)ᵀ·h(0…T−2),  ∂L/∂b = Σ dZ   one GEMM each
    ///       ∂L/∂a = ∂L/∂α ⊙ α ⊙ (1 − α)
    /// ```
    ///
    /// No clipping here: clip the whole gradient with ``GradientNormClipping`` afterwards.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when no forward pass ran or a
    ///   buffer's size does not fit it.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(
        _ stateGradient: StateGradient<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>? = nil
    ) throws(NetworkError) {
        let units = configuration.units, features = configuration.inputSize
        guard length > 0 else {
            throw .shapeMismatch(what: "recurrent backward", detail: "no forward pass ran")
        }
        let steps = batchSize * length
        switch stateGradient {
        case .last(let g) where g.count != batchSize * units:
            throw .shapeMismatch(
                what: "last-state gradient", detail: "\(g.count) values, expected \(batchSize) × \(units)")
        case .all(let g) where g.count != steps * units:
            throw .shapeMismatch(
                what: "state gradients", detail: "\(g.count) values, expected \(batchSize) × \(length) × \(units)")
        default: break
        }
        if let inputGradient, inputGradient.count != steps * features {
            throw .shapeMismatch(
                what: "input gradient", detail: "\(inputGradient.count) values, expected \(batchSize) × \(length) × \(features)")
        }
        let values = parameters.values.baseAddress!, gradients = parameters.gradients.baseAddress!
        let recurrent = MatrixBuffer(values + places.recurrentWeight.offset, rows: units, columns: units)
        var leakSum = [Scalar](repeating: 0, count: units)
        workspace.carry.update(repeating: 0, count: batchSize * units)
        alphas.withUnsafeBufferPointer { alphaBuffer in
            leakSum.withUnsafeMutableBufferPointer { leakBuffer in
                let alpha = alphaBuffer.baseAddress!, dAlpha = leakBuffer.baseAddress!
                for step in stride(from: length - 1, through: 0, by: -1) {
                    let carry = MatrixBuffer(workspace.carry, rows: batchSize, columns: units)
                    switch stateGradient {
                    case .last(let g):
                        if step == length - 1 { carry.base.update(from: g.baseAddress!, count: g.count) }
                    case .all(let g):
                        for sequence in 0..<batchSize {
                            let source = g.baseAddress! + (sequence * length + step) * units
                            let target = carry.base + sequence * units
                            for j in 0..<units { target[j] += source[j] }
                        }
                    }
                    let previous = step > 0
                        ? workspace.stepSlice(workspace.states, step: step - 1, batchSize: batchSize, columns: units).base
                        : nil
                    let dZ = workspace.stepSlice(
                        workspace.preActivationGradients, step: step, batchSize: batchSize, columns: units)
                    Self.leakBackward(
                        carry: carry, alpha: alpha, previous: previous,
                        activations: workspace.stepSlice(workspace.activations, step: step, batchSize: batchSize, columns: units),
                        leakGradient: dAlpha, preActivationGradient: dZ)
                    let start = Profiling.start()
                    configuration.activation.backward(
                        input: UnsafeBufferPointer(
                            workspace.stepSlice(workspace.preActivations, step: step, batchSize: batchSize, columns: units).buffer),
                        gradientOutput: UnsafeBufferPointer(dZ.buffer), into: dZ.buffer)
                    Profiling.stop(start, .activations)
                    guard step > 0 else { continue }
                    let next = MatrixBuffer(workspace.nextCarry, rows: batchSize, columns: units)
                    for row in 0..<batchSize {
                        let g = carry.base + row * units, out = next.base + row * units
                        for j in 0..<units { out[j] = alpha[j] * g[j] }
                    }
                    BLAS.gemm(dZ, recurrent, into: next, beta: 1)
                    workspace.swapCarries()
                }
            }
        }
        leakGradient = leakSum
        parameterGradients(values: values, gradients: gradients, inputGradient: inputGradient)
    }

    /// The per-step part of the backward pass, row by row:
    /// `∂L/∂α += g ⊙ (h(t−1) − S(t))` and `dZ = (1 − α) ⊙ g` (σ′ is applied after).
    @inline(__always)
    static func leakBackward(
        carry g: MatrixBuffer<Scalar>, alpha: UnsafePointer<Scalar>, previous: UnsafeMutablePointer<Scalar>?,
        activations s: MatrixBuffer<Scalar>, leakGradient dAlpha: UnsafeMutablePointer<Scalar>,
        preActivationGradient dZ: MatrixBuffer<Scalar>
    ) {
        let units = g.columns
        for row in 0..<g.rows {
            let gRow = g.base + row * units, sRow = s.base + row * units, dzRow = dZ.base + row * units
            if let previous {
                let hRow = previous + row * units
                for j in 0..<units { dAlpha[j] += gRow[j] * (hRow[j] - sRow[j]) }
            } else {
                for j in 0..<units { dAlpha[j] -= gRow[j] * sRow[j] }
            }
            for j in 0..<units { dzRow[j] = (1 - alpha[j]) * gRow[j] }
        }
    }

    /// ∂L/∂W, ∂L/∂U, ∂L/∂b, ∂L/∂a and ∂L/∂x from the stored dZ of every step.
    @inline(__always)
    func parameterGradients(
        values: UnsafeMutablePointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>,
        inputGradient: UnsafeMutableBufferPointer<Scalar>?
    ) {
        let units = configuration.units, features = configuration.inputSize
        let steps = batchSize * length
        let dZ = MatrixBuffer(workspace.preActivationGradients, rows: steps, columns: units)
        let x = MatrixBuffer(workspace.inputs, rows: steps, columns: features)
        let dW = MatrixBuffer(gradients + places.inputWeight.offset, rows: units, columns: features)
        let dU = MatrixBuffer(gradients + places.recurrentWeight.offset, rows: units, columns: units)
        BLAS.gemm(dZ, x, into: dW, transposeA: true)
        Dense.columnSums(dZ, into: gradients + places.bias.offset, accumulate: false)
        if length > 1 {
            let later = MatrixBuffer(dZ.base + batchSize * units, rows: steps - batchSize, columns: units)
            let earlier = MatrixBuffer(workspace.states, rows: steps - batchSize, columns: units)
            BLAS.gemm(later, earlier, into: dU, transposeA: true)
        } else {
            dU.base.update(repeating: 0, count: dU.count)
        }
        if let leakLogit = places.leakLogit {
            let dA = gradients + leakLogit.offset
            for j in 0..<units { dA[j] = leakGradient[j] * alphas[j] * (1 - alphas[j]) }
        }
        if let inputGradient {
            // dX = dZ·W, time-major, then reordered batch-major.
            let weight = MatrixBuffer(values + places.inputWeight.offset, rows: units, columns: features)
            let timeMajor = AlignedStorage<Scalar>(count: steps * features, zeroed: false)
            BLAS.gemm(dZ, weight, into: MatrixBuffer(timeMajor.base, rows: steps, columns: features))
            for sequence in 0..<batchSize {
                for step in 0..<length {
                    (inputGradient.baseAddress! + (sequence * length + step) * features)
                        .update(from: timeMajor.base + (step * batchSize + sequence) * features, count: features)
                }
            }
        }
    }
}
