import Activations
import CGEMMKernels
import Runtime

/// The forward and backward passes over the workspace: no allocation once the workspace
/// has room for the batch. Data flow of one training step:
///
/// ```
/// batch (B, in) → Dense (bias rows + GEMM) or convolution (im2col + GEMM per group of images) → activation (in place when it keeps its
/// output) → … → output (B, out) → loss writes ∂L/∂output → layers backward in reverse,
/// each writing its parameter gradients into the flat gradient buffer
/// ```
extension Sequential {
    /// Runs every layer on `input` (`rows × inputSize`, which must stay valid until the
    /// backward pass) and returns a view of the output in the workspace. `afterLayer` sees
    /// each layer's output before a later layer may overwrite it. With a `generator` the
    /// pass trains: batch norm uses and updates the batch statistics, dropout draws its
    /// masks from it; without, batch norm uses the running statistics and dropout is the identity.
    /// `predicting` says no backward pass follows, so the values between layers need not be
    /// kept: a Float convolution then runs with the batch norm, ReLU and max pooling after it
    /// as one ``ConvolutionBlock``, and flatten and dropout pass their input on uncopied (the
    /// returned view may be an earlier layer's buffer).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(
        input: MatrixBuffer<Scalar>, generator: UnsafeMutablePointer<SeededGenerator>? = nil,
        predicting: Bool = false, afterLayer: ((Int, MatrixBuffer<Scalar>) -> Void)? = nil
    ) -> MatrixBuffer<Scalar> {
        let rows = input.rows
        workspace.reserve(rows: rows)
        lastInput = input
        lastPassTrained = generator != nil
        // A training pass moves batch norm's running statistics.
        if generator != nil { parameters.version &+= 1 }
        var current = input
        // Inference on enough rows runs consecutive dense layers on packed weights, a panel
        // of rows through all of them at a time, with a ReLU that follows in place fused in
        // (then skipped); a Float batch of one runs each dense layer as one matrix-vector
        // product with the ReLU fused the same way.
        let packs = generator == nil && afterLayer == nil && rows >= Self.packedRows
        // A prediction keeps nothing for a backward pass: Float convolutions run as blocks with
        // the layers after them, and flatten and dropout copy nothing.
        let prediction = predicting && generator == nil && afterLayer == nil
        // Layers up to this index ran inside an earlier layer's step.
        var computed = -1
        // The current values are a convolution block's channels-last output.
        var channelsLast = false
        for (index, layer) in layers.enumerated() {
            let output = workspace.values(index + 1, rows: rows)
            if index <= computed {
                current = output
                continue
            }
            switch layer {
            case let .dense(weight, _, bias, _):
                if packs, let chain = packedDenseSteps(from: index, rows: rows) {
                    Dense.packedForward(chain.steps, input: floatView(current))
                    computed = chain.last
                } else if rows == 1, generator == nil, afterLayer == nil, Scalar.self == Float.self,
                    rect_gemm_panel_width() > 0
                {
                    let relu = reluInPlace(after: index)
                    if relu { computed = index + 1 }
                    Dense.rowForward(
                        output: floatView(output), input: floatView(current), weight: floatView(weight),
                        bias: UnsafeRawPointer(bias).assumingMemoryBound(to: Float.self), relu: relu)
                } else {
                    Dense.forward(output: output, input: current, weight: weight, bias: bias)
                }
            case let .activation(activation):
                let start = Profiling.start()
                activation.forward(UnsafeBufferPointer(current.buffer), into: output.buffer)
                Profiling.stop(start, .activations)
            case let .prelu(slopes, _, count):
                PReLU.forward(output: output, input: current, slopes: slopes, slopeCount: count)
            case let .convolution(geometry, weight, _, bias, _):
                if prediction, rect_gemm_panel_width() > 0,
                    let found = convolutionBlock(at: index, channelsLastInput: channelsLast)
                {
                    run(found.block, layer: index, input: current, output: workspace.values(found.last + 1, rows: rows))
                    computed = found.last
                    channelsLast = found.block.channelsLastOutput
                    break
                }
                Convolution.forward(
                    geometry, output: output, input: current, weight: weight, bias: bias,
                    scratch: workspace.scratch(geometry))
            case let .maxPooling(geometry):
                Pooling.maxForward(geometry, output: output, input: current)
            case let .averagePooling(geometry):
                Pooling.averageForward(geometry, output: output, input: current)
            case let .globalAveragePooling(shape):
                Pooling.globalAverageForward(shape, output: output, input: current)
            case .flatten:
                // A prediction reads the same values where they are (the next layer writes its own buffer).
                if prediction { continue }
                _ = output.buffer.update(fromContentsOf: current.buffer)
            case let .batchNormalization(shape, weight, _, bias, _, mean, variance, batches, saved):
                let savedMean = saved.base, savedInverse = saved.base + shape.channels
                if generator != nil {
                    BatchNormalization.trainingForward(
                        channels: shape.channels, spatial: shape.spatial, output: output, input: current,
                        weight: weight, bias: bias, runningMean: mean, runningVariance: variance,
                        savedMean: savedMean, savedInverseDeviation: savedInverse)
                    batches.pointee += 1
                } else {
                    BatchNormalization.inferenceForward(
                        channels: shape.channels, spatial: shape.spatial, output: output, input: current,
                        weight: weight, bias: bias, runningMean: mean, runningVariance: variance)
                    for c in 0..<shape.channels {
                        savedMean[c] = mean[c]
                        savedInverse[c] = Scalar(BatchNormalization.inverseDeviation(Double(variance[c])))
                    }
                }
            case let .dropout(probability):
                if let generator {
                    Dropout.trainingForward(
                        probability: probability, output: output.base, input: current.base,
                        mask: workspace.mask(index, rows: rows), count: output.count, generator: &generator.pointee)
                } else if prediction {
                    continue
                } else {
                    _ = output.buffer.update(fromContentsOf: current.buffer)
                }
            }
            afterLayer?(index, output)
            current = output
        }
        return current
    }

    /// The fewest rows for which an inference pass uses packed weights (fewer go through
    /// BLAS, and a batch of one through the matrix-vector kernel).
    static var packedRows: Int { 32 }

    /// The dense layers from `index` on (each with the in-place ReLU after it, if any) as
    /// steps of ``Dense/packedForward(_:input:)``, up to the first layer that is no dense
    /// layer or has no packed form, and the index of the last layer they cover; nil when
    /// layer `index` has none.
    private func packedDenseSteps(from index: Int, rows: Int) -> (steps: [Dense.PackedStep], last: Int)? {
        var steps: [Dense.PackedStep] = [], next = index
        while next < layers.count, case let .dense(weight, _, bias, _) = layers[next],
            let packed = workspace.packedWeight(next, weight, version: parameters.version)
        {
            let relu = reluInPlace(after: next)
            let last = relu ? next + 1 : next
            steps.append(Dense.PackedStep(
                packed: packed, bias: UnsafeRawPointer(bias).assumingMemoryBound(to: Float.self), relu: relu,
                output: floatView(workspace.values(last + 1, rows: rows))))
            next = last + 1
        }
        return steps.isEmpty ? nil : (steps, next - 1)
    }

    /// `values` as Float (`Scalar` is Float where this is called).
    private func floatView(_ values: MatrixBuffer<Scalar>) -> MatrixBuffer<Float> {
        MatrixBuffer(UnsafeMutableRawPointer(values.base).assumingMemoryBound(to: Float.self), rows: values.rows, columns: values.columns)
    }

    /// Whether layer `index + 1` is a ReLU writing over layer `index`'s output.
    private func reluInPlace(after index: Int) -> Bool {
        guard index + 1 < layers.count, case .activation(.relu) = layers[index + 1] else { return false }
        return workspace.plan.valueSlots[index + 2] == workspace.plan.valueSlots[index + 1]
    }

    /// Where the loss writes ∂L/∂output for a batch of `rows` rows.
    func outputGradient(rows: Int) -> MatrixBuffer<Scalar> {
        workspace.gradient(layers.count, rows: rows)
    }

    /// Back-propagates the gradient in ``outputGradient(rows:)`` through the latest forward
    /// pass, overwriting ``ParameterStore/gradients``. Returns ∂L/∂input when asked for.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    @discardableResult
    func backward(computeInputGradient: Bool) -> MatrixBuffer<Scalar>? {
        guard let input = lastInput else { preconditionFailure("backward before forward") }
        let rows = input.rows
        for (index, layer) in layers.enumerated().reversed() {
            let outputGradient = workspace.gradient(index + 1, rows: rows)
            let inputGradient = index > 0 || computeInputGradient
                ? workspace.gradient(index, rows: rows) : nil
            let layerInput = index == 0 ? input : workspace.values(index, rows: rows)
            switch layer {
            case let .dense(weight, weightGradient, _, biasGradient):
                Dense.backward(
                    inputGradient: inputGradient, weightGradient: weightGradient,
                    biasGradient: biasGradient, outputGradient: outputGradient, input: layerInput,
                    weight: weight, accumulate: false)
            case let .activation(activation):
                guard let inputGradient else { continue }
                let saved = activation.savedForBackward == .output
                    ? workspace.values(index + 1, rows: rows) : layerInput
                let start = Profiling.start()
                activation.backward(
                    saved: UnsafeBufferPointer(saved.buffer),
                    gradientOutput: UnsafeBufferPointer(outputGradient.buffer), into: inputGradient.buffer)
                Profiling.stop(start, .activations)
            case let .prelu(slopes, slopeGradient, count):
                PReLU.backward(
                    inputGradient: inputGradient, slopeGradient: slopeGradient,
                    outputGradient: outputGradient, input: layerInput, slopes: slopes,
                    slopeCount: count, accumulate: false)
            case let .convolution(geometry, weight, weightGradient, _, biasGradient):
                Convolution.backward(
                    geometry, inputGradient: inputGradient, weightGradient: weightGradient,
                    biasGradient: biasGradient, outputGradient: outputGradient, input: layerInput,
                    weight: weight, scratch: workspace.scratch(geometry))
            case let .maxPooling(geometry):
                guard let inputGradient else { continue }
                Pooling.maxBackward(geometry, inputGradient: inputGradient, outputGradient: outputGradient, input: layerInput)
            case let .averagePooling(geometry):
                guard let inputGradient else { continue }
                Pooling.averageBackward(geometry, inputGradient: inputGradient, outputGradient: outputGradient)
            case let .globalAveragePooling(shape):
                guard let inputGradient else { continue }
                Pooling.globalAverageBackward(shape, inputGradient: inputGradient, outputGradient: outputGradient)
            case .flatten:
                // The gradient is already in place unless flatten is the first layer.
                guard let inputGradient, inputGradient.base != outputGradient.base else { continue }
                _ = inputGradient.buffer.update(fromContentsOf: outputGradient.buffer)
            case let .batchNormalization(shape, weight, weightGradient, _, biasGradient, _, _, _, saved):
                BatchNormalization.backward(
                    channels: shape.channels, spatial: shape.spatial, inputGradient: inputGradient,
                    weightGradient: weightGradient, biasGradient: biasGradient, outputGradient: outputGradient,
                    input: layerInput, weight: weight, mean: saved.base, inverseDeviation: saved.base + shape.channels,
                    training: lastPassTrained)
            case .dropout:
                guard let inputGradient else { continue }
                if lastPassTrained {
                    Dropout.backward(
                        inputGradient: inputGradient.base, outputGradient: outputGradient.base,
                        mask: workspace.mask(index, rows: rows), count: inputGradient.count)
                } else if inputGradient.base != outputGradient.base {
                    _ = inputGradient.buffer.update(fromContentsOf: outputGradient.buffer)
                }
            }
        }
        return computeInputGradient ? workspace.gradient(0, rows: rows) : nil
    }
}

extension Sequential {
    /// The outputs for `input` (`n × inputSize`), keeping what ``backward(outputGradient:)``
    /// needs. O(n · parameters).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the column count is not
    ///   ``inputSize``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: Matrix<Scalar>) throws(NetworkError) -> Matrix<Scalar> {
        try checkInput(input)
        workspace.reserve(rows: input.rows)
        let copy = workspace.inputCopy(rows: input.rows)
        input.withUnsafeBufferPointer { _ = copy.buffer.initialize(from: $0) }
        return Matrix(forward(input: copy))
    }

    /// The outputs for `input` as in training: batch norm normalises with the batch's
    /// statistics (and updates the running ones), dropout draws its masks from `generator`.
    /// ``backward(outputGradient:)`` then differentiates this pass.
    /// - Throws: as ``forward(_:)``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func trainingForward(_ input: Matrix<Scalar>, generator: inout SeededGenerator) throws(NetworkError) -> Matrix<Scalar> {
        try checkInput(input)
        workspace.reserve(rows: input.rows)
        let copy = workspace.inputCopy(rows: input.rows)
        input.withUnsafeBufferPointer { _ = copy.buffer.initialize(from: $0) }
        return withUnsafeMutablePointer(to: &generator) { Matrix(forward(input: copy, generator: $0)) }
    }

    /// Back-propagates `outputGradient` (∂L/∂output, same shape as the latest forward's
    /// output) and returns ∂L/∂input. The parameter gradients land in
    /// ``ParameterStore/gradients`` (overwritten, not added).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when no ``forward(_:)``
    ///   came first or the shape differs from its output.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(outputGradient: Matrix<Scalar>) throws(NetworkError) -> Matrix<Scalar> {
        guard let input = lastInput else {
            throw .shapeMismatch(what: "backward", detail: "no forward pass to go back through")
        }
        guard outputGradient.rows == input.rows, outputGradient.columns == outputSize else {
            throw .shapeMismatch(
                what: "output gradient",
                detail: "is \(outputGradient.rows)×\(outputGradient.columns), the last output was \(input.rows)×\(outputSize)")
        }
        let target = self.outputGradient(rows: input.rows)
        outputGradient.withUnsafeBufferPointer { _ = target.buffer.initialize(from: $0) }
        return Matrix(backward(computeInputGradient: true)!)
    }

    /// The outputs for `input` (`n × inputSize`), computed in chunks of up to 1024 rows.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the column count is not
    ///   ``inputSize``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func predict(_ input: Matrix<Scalar>) throws(NetworkError) -> Matrix<Scalar> {
        try checkInput(input)
        defer { lastInput = nil }
        return Matrix(rows: input.rows, columns: outputSize) { output in
            input.withUnsafeBufferPointer { source in
                let base = UnsafeMutablePointer(mutating: source.baseAddress)
                var first = 0
                while first < input.rows {
                    let rows = Swift.min(Self.predictionChunk, input.rows - first)
                    let result = forward(
                        input: MatrixBuffer(base! + first * inputSize, rows: rows, columns: inputSize), predicting: true)
                    (output.baseAddress! + first * outputSize).update(from: result.base, count: result.count)
                    first += rows
                }
            }
        }
    }

    /// The predicted class of each row: the index of the largest output (the first on
    /// ties), or for a single output `1` when it is > 0 and `0` otherwise.
    /// - Throws: as ``predict(_:)``.
    public func predictClasses(_ input: Matrix<Scalar>) throws(NetworkError) -> [Int] {
        let outputs = try predict(input)
        return (0..<outputs.rows).map { row in
            Self.predictedClass(outputs.row(row))
        }
    }

    /// Every layer's output for `input`, in layer order (pre-activations included: they are
    /// copied before an in-place activation overwrites them). For calibration and analysis.
    /// - Throws: as ``predict(_:)``.
    public func layerOutputs(_ input: Matrix<Scalar>) throws(NetworkError) -> [Matrix<Scalar>] {
        try checkInput(input)
        defer { lastInput = nil }
        var outputs: [Matrix<Scalar>] = []
        input.withUnsafeBufferPointer { source in
            let view = MatrixBuffer(UnsafeMutablePointer(mutating: source.baseAddress!), rows: input.rows, columns: inputSize)
            _ = forward(input: view) { _, output in outputs.append(Matrix(output)) }
        }
        return outputs
    }

    /// The rows ``predict(_:)`` and ``Sequential/evaluate(_:loss:)`` pass at a time: their
    /// buffers hold this many rows of each layer, whatever the input's size.
    public static var predictionChunk: Int { 1024 }

    static func predictedClass<C: Collection>(_ outputs: C) -> Int where C.Element == Scalar {
        if outputs.count == 1 { return outputs.first! > 0 ? 1 : 0 }
        var best = 0, bestValue = -Scalar.infinity
        for (index, value) in outputs.enumerated() where value > bestValue || index == 0 {
            best = index
            bestValue = value
        }
        return best
    }

    private func checkInput(_ input: Matrix<Scalar>) throws(NetworkError) {
        guard input.columns == inputSize else {
            throw .shapeMismatch(
                what: "input", detail: "has \(input.columns) columns, the model takes \(inputSize)")
        }
        guard input.rows >= 1 else {
            throw .shapeMismatch(what: "input", detail: "has no rows")
        }
    }
}

extension Matrix {
    /// A copy of a buffer view.
    init(_ view: MatrixBuffer<Scalar>) {
        self.init(rows: view.rows, columns: view.columns) { target in
            target.baseAddress!.update(from: view.base, count: view.count)
        }
    }
}
