import Activations
import Runtime

/// A ``LeakyRecurrent`` layer with its parameters (views into a ``ParameterStore``) and the
/// memory its forward and backward passes use.
///
/// ```swift
/// let description = try LeakyRecurrent(inputSize: 2, units: 128, leak: .multiScale(maximumTimeConstant: 400))
/// let layer = LeakyRecurrentLayer<Float>(description)
/// var generator = SeededGenerator(seed: 1)
/// layer.initialize(generator: &generator)
/// try layer.forward(inputs, batchSize: 64, length: 200)   // inputs: 64 × 200 × 2
/// let last = layer.lastState                              // 64 × 128
/// ```
///
/// Sequences come batch-major, `batch × time × features`. Inside, every per-step buffer is
/// time-major (`time × batch × units`), so the slice of one step is one contiguous
/// `batch × units` matrix: the input projection of all steps is one GEMM, each step one GEMM
/// with U, and the weight gradients of all steps one GEMM each.
///
/// Memory: four `time × batch × units` buffers (pre-activations, activations, states, their
/// gradient) plus the inputs, kept for the largest batch × length seen. Not thread-safe.
public final class LeakyRecurrentLayer<Scalar: ActivationScalar> {
    /// The layer's shape and rule.
    public let configuration: LeakyRecurrent
    /// Where W, U, b (and a) live in ``parameters``.
    public let places: LeakyRecurrent.Places
    /// The flat parameters and gradients the layer reads and writes (it may share them with
    /// other layers).
    public let parameters: ParameterStore<Scalar>
    /// Sequences in the last forward pass.
    public internal(set) var batchSize = 0
    /// Steps in the last forward pass.
    public internal(set) var length = 0
    /// α_j used by the last forward pass (before one: the initial leaks).
    public internal(set) var alphas: [Scalar]
    /// ∂L/∂α_j from the last backward pass, whatever the leak's form.
    public internal(set) var leakGradient: [Scalar]

    var workspace = RecurrentWorkspace<Scalar>()

    /// A layer over `parameters` at `places` (e.g. from
    /// ``LeakyRecurrent/appendParameters(to:prefix:)`` on the store's layout).
    /// - Precondition: `places` lie inside `parameters` and fit `configuration`.
    public init(_ configuration: LeakyRecurrent, parameters: ParameterStore<Scalar>, places: LeakyRecurrent.Places) {
        precondition(
            places.inputWeight.count == configuration.units * configuration.inputSize
                && places.recurrentWeight.count == configuration.units * configuration.units
                && places.bias.count == configuration.units
                && (places.leakLogit?.count ?? configuration.units) == configuration.units
                && (places.leakLogit != nil) == configuration.leak.isLearned
                && [places.inputWeight, places.recurrentWeight, places.bias, places.leakLogit]
                    .allSatisfy { $0 == nil || $0!.range.upperBound <= parameters.count },
            "LeakyRecurrentLayer: places do not fit the configuration or the store")
        self.configuration = configuration
        self.places = places
        self.parameters = parameters
        alphas = configuration.leak.initialAlphas(units: configuration.units).map { Scalar($0) }
        leakGradient = [Scalar](repeating: 0, count: configuration.units)
    }

    /// A layer with a store of its own, tensors named `recurrent.*`.
    public convenience init(_ configuration: LeakyRecurrent) {
        var layout = ParameterLayout()
        let places = configuration.appendParameters(to: &layout, prefix: "recurrent")
        self.init(configuration, parameters: ParameterStore(layout: layout), places: places)
    }

    /// Draws the starting parameters from `generator`, in this order: W ~ N(0, 1/inputSize),
    /// then U ~ N(0, recurrentGain²/units); b = 0; a_j from ``Leak/initialLogits(units:)``.
    /// A gain of 1 gives U a spectral radius near 1.
    public func initialize(generator: inout SeededGenerator, recurrentGain: Double = 1) {
        let inputs = Double(configuration.inputSize), units = Double(configuration.units)
        generator.fillNormal(parameters.values(of: places.inputWeight), standardDeviation: 1 / inputs.squareRoot())
        generator.fillNormal(
            parameters.values(of: places.recurrentWeight), standardDeviation: recurrentGain / units.squareRoot())
        parameters.values(of: places.bias).update(repeating: 0)
        if let leakLogit = places.leakLogit {
            let logits = configuration.leak.initialLogits(units: configuration.units)
            _ = parameters.values(of: leakLogit).initialize(from: logits.map { Scalar($0) })
        }
        refreshAlphas()
    }

    /// Recomputes ``alphas`` from the leak (and a_j when learned).
    func refreshAlphas() {
        guard let leakLogit = places.leakLogit else { return }
        let logits = parameters.values(of: leakLogit)
        for j in 0..<configuration.units { alphas[j] = Sigmoid().value(logits[j]) }
    }

    /// The states h(t) of step `step` of the last forward pass, `batchSize × units`
    /// (a view into the layer's memory, valid until the next pass).
    /// - Precondition: `0 ≤ step < length`.
    public func state(at step: Int) -> MatrixBuffer<Scalar> {
        precondition(step >= 0 && step < length, "LeakyRecurrentLayer.state: step out of range")
        return workspace.stepSlice(workspace.states, step: step, batchSize: batchSize, columns: configuration.units)
    }

    /// h(T − 1), the last states of the last forward pass, `batchSize × units`.
    public var lastState: MatrixBuffer<Scalar> { state(at: length - 1) }

    /// Every state of the last forward pass, batch-major: `batchSize × length × units`.
    public func allStates() -> [Scalar] {
        let units = configuration.units
        var result = [Scalar](repeating: 0, count: batchSize * length * units)
        result.withUnsafeMutableBufferPointer { out in
            for step in 0..<length {
                let slice = state(at: step)
                for sequence in 0..<batchSize {
                    (out.baseAddress! + (sequence * length + step) * units)
                        .update(from: slice.base + sequence * units, count: units)
                }
            }
        }
        return result
    }

    /// Checks a batch-major `batchSize × length × inputSize` buffer of `count` values.
    func validateSequences(count: Int, batchSize: Int, length: Int) throws(NetworkError) {
        guard length >= 1 else {
            throw .shapeMismatch(what: "sequences", detail: "length \(length) is not ≥ 1")
        }
        guard batchSize >= 1 else {
            throw .shapeMismatch(what: "sequences", detail: "batch size \(batchSize) is not ≥ 1")
        }
        let (steps, overflow) = batchSize.multipliedReportingOverflow(by: length)
        guard !overflow, count == steps * configuration.inputSize else {
            throw .shapeMismatch(
                what: "sequences",
                detail: "\(count) values are not \(batchSize) × \(length) × \(configuration.inputSize) (batch × time × features)")
        }
    }
}
