import Activations
import Runtime

/// A leaky recurrent layer read out by a fully connected layer from its last state: the
/// model of the sequence tasks (the adding problem, sequential images).
///
/// ```
/// h = LeakyRecurrent(x(0…T−1))       batch × units, the last state
/// f = h·Vᵀ + c                        batch × outputs   (V is [outputs, units])
/// ```
///
/// Parameters live in one ``ParameterStore``: `recurrent.weight_ih`, `recurrent.weight_hh`,
/// `recurrent.bias`, (`recurrent.leak_logit`), `readout.weight`, `readout.bias`, so one
/// ``Optimizer`` updates them all and ``GradientNormClipping`` clips them together.
public final class RecurrentNetwork<Scalar: ActivationScalar> {
    /// The recurrent layer (its parameters are the store's first tensors).
    public let recurrent: LeakyRecurrentLayer<Scalar>
    /// Outputs of the readout, ≥ 1.
    public let outputSize: Int
    /// Every parameter and gradient.
    public var parameters: ParameterStore<Scalar> { recurrent.parameters }
    private let readoutWeight: ParameterInfo
    private let readoutBias: ParameterInfo

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` when `outputSize < 1`.
    public init(_ configuration: LeakyRecurrent, outputSize: Int) throws(NetworkError) {
        guard outputSize >= 1 else {
            throw .invalidArchitecture(field: "output size", detail: "\(outputSize) is not ≥ 1")
        }
        var layout = ParameterLayout()
        let places = configuration.appendParameters(to: &layout, prefix: "recurrent")
        readoutWeight = layout.append(name: "readout.weight", shape: [outputSize, configuration.units], weightDecay: true)
        readoutBias = layout.append(name: "readout.bias", shape: [outputSize], weightDecay: false)
        recurrent = LeakyRecurrentLayer(configuration, parameters: ParameterStore(layout: layout), places: places)
        self.outputSize = outputSize
    }

    /// Draws the recurrent layer's parameters (``LeakyRecurrentLayer/initialize(generator:recurrentGain:)``),
    /// then V ~ N(0, 1/units); c = 0.
    public func initialize(generator: inout SeededGenerator, recurrentGain: Double = 1) {
        recurrent.initialize(generator: &generator, recurrentGain: recurrentGain)
        generator.fillNormal(
            parameters.values(of: readoutWeight),
            standardDeviation: 1 / Double(recurrent.configuration.units).squareRoot())
        parameters.values(of: readoutBias).update(repeating: 0)
    }

    /// The outputs for `inputs` (`batchSize × length × inputSize`, batch-major),
    /// `batchSize × outputSize`. Time as ``LeakyRecurrentLayer/forward(_:batchSize:length:)``.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` for inputs of the wrong size.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func predict(_ inputs: [Scalar], batchSize: Int, length: Int) throws(NetworkError) -> Matrix<Scalar> {
        try inputs.withUnsafeBufferPointer { x throws(NetworkError) in
            try recurrent.forward(x, batchSize: batchSize, length: length)
        }
        var outputs = Matrix<Scalar>(rows: batchSize, columns: outputSize)
        let values = parameters.values.baseAddress!
        outputs.withUnsafeMutableBufferPointer { out in
            Dense.forward(
                output: MatrixBuffer(out.baseAddress!, rows: batchSize, columns: outputSize),
                input: recurrent.lastState,
                weight: MatrixBuffer(values + readoutWeight.offset, rows: outputSize, columns: recurrent.configuration.units),
                bias: values + readoutBias.offset)
        }
        return outputs
    }

    /// One forward and backward pass: the batch-mean `loss` of the outputs against
    /// `targets`, with every parameter's gradient written to ``ParameterStore/gradients``
    /// (not clipped). Time O(T·B·H·(F + H)).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the inputs or targets do
    ///   not fit.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func computeGradients(
        _ inputs: [Scalar], batchSize: Int, length: Int, targets: Targets<Scalar>, loss: Loss
    ) throws(NetworkError) -> LossEvaluation<Scalar> {
        let outputs = try predict(inputs, batchSize: batchSize, length: length)
        var evaluation = try loss.evaluate(outputs: outputs, targets: targets)
        let units = recurrent.configuration.units
        var stateGradient = [Scalar](repeating: 0, count: batchSize * units)
        let values = parameters.values.baseAddress!, gradients = parameters.gradients.baseAddress!
        evaluation.gradient.withUnsafeMutableBufferPointer { g in
            stateGradient.withUnsafeMutableBufferPointer { dh in
                Dense.backward(
                    inputGradient: MatrixBuffer(dh.baseAddress!, rows: batchSize, columns: units),
                    weightGradient: MatrixBuffer(gradients + readoutWeight.offset, rows: outputSize, columns: units),
                    biasGradient: gradients + readoutBias.offset,
                    outputGradient: MatrixBuffer(g.baseAddress!, rows: batchSize, columns: outputSize),
                    input: recurrent.lastState,
                    weight: MatrixBuffer(values + readoutWeight.offset, rows: outputSize, columns: units),
                    accumulate: false)
            }
        }
        try stateGradient.withUnsafeBufferPointer { dh throws(NetworkError) in try recurrent.backward(.last(dh)) }
        return evaluation
    }
}
