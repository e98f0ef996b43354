import Activations
import Runtime

/// Updates a model's flat parameter buffer from its flat gradient buffer, one vectorised
/// pass per run of trainable parameters that share a weight-decay flag, split across threads.
///
/// Its state (the step count and PyTorch-named buffers laid out like the parameters) is
/// readable as ``state`` and restorable with ``restore(_:)``, so a checkpoint can carry it
/// and a resumed run continue bit for bit.
public final class Optimizer<Scalar: ActivationScalar> {
    /// The rule, base rate, weight decay and schedule.
    public let configuration: OptimizerConfiguration
    /// The layout of the parameters it updates.
    public let layout: ParameterLayout
    /// Updates made so far (Adam's t − 1).
    public private(set) var stepCount = 0
    private let stateBuffers: [AlignedStorage<Scalar>]
    private let stateBases: [UnsafeMutablePointer<Scalar>]
    /// Contiguous ranges of the flat buffer and whether weight decay applies to them.
    private let runs: [(range: Range<Int>, decays: Bool)]

    /// An optimiser with zeroed state for parameters laid out as `layout`.
    public init(configuration: OptimizerConfiguration, layout: ParameterLayout) {
        self.configuration = configuration
        self.layout = layout
        stateBuffers = configuration.kind.stateBufferNames.map { _ in AlignedStorage(count: layout.count) }
        stateBases = stateBuffers.map(\.base)
        var runs: [(range: Range<Int>, decays: Bool)] = []
        for info in layout.parameters where info.count > 0 && info.trainable {
            if let last = runs.last, last.decays == info.weightDecay, last.range.upperBound == info.offset {
                runs[runs.count - 1].range = last.range.lowerBound..<info.range.upperBound
            } else {
                runs.append((info.range, info.weightDecay))
            }
        }
        self.runs = runs
    }

    /// Applies one update with learning rate `learningRate` (the schedule's value for this
    /// step, computed by the caller) to `parameters` from their ``ParameterStore/gradients``.
    /// - Precondition: `parameters.layout` is this optimiser's layout.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step(_ parameters: ParameterStore<Scalar>, learningRate: Double) {
        precondition(parameters.count == layout.count, "Optimizer.step: parameter layout differs")
        stepCount += 1
        let p = parameters.values.baseAddress!, g = parameters.gradients.baseAddress!
        let buffers = stateBases
        for run in runs {
            let decay = run.decays ? configuration.weightDecay : 0
            switch configuration.kind {
            case let .sgd(momentum, nesterov):
                let rule = SGDRule<Scalar>(
                    learningRate: learningRate, weightDecay: decay, momentum: momentum, nesterov: nesterov)
                Self.forEachChunk(run.range) { range in
                    rule.apply(p, g, momentum > 0 ? buffers[0] : nil, range)
                }
            case let .adam(beta1, beta2, epsilon), let .adamW(beta1, beta2, epsilon):
                var decoupled = false
                if case .adamW = configuration.kind { decoupled = true }
                let rule = AdamRule<Scalar>(
                    learningRate: learningRate, weightDecay: decay, decoupled: decoupled,
                    beta1: beta1, beta2: beta2, epsilon: epsilon, step: stepCount)
                Self.forEachChunk(run.range) { range in
                    rule.apply(p, g, buffers[0], buffers[1], range)
                }
            }
        }
    }

    /// Runs `body` over `range` in contiguous chunks, in parallel when large.
    @inline(__always)
    private static func forEachChunk(_ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        Execution.current.forEachChunk(count: range.count, minimumChunk: 1 << 15) { chunk in
            body(chunk.lowerBound + range.lowerBound..<chunk.upperBound + range.lowerBound)
        }
    }

    /// The state buffers by PyTorch name (`momentum_buffer`; `exp_avg`, `exp_avg_sq`), each
    /// laid out like the parameters. Writable views.
    public var buffers: [(name: String, values: UnsafeMutableBufferPointer<Scalar>)] {
        zip(configuration.kind.stateBufferNames, stateBuffers).map { ($0, $1.buffer) }
    }

    /// A copy of the whole state.
    public var state: OptimizerState<Scalar> {
        OptimizerState(
            stepCount: stepCount,
            buffers: Dictionary(uniqueKeysWithValues: buffers.map { ($0.name, Array($0.values)) }))
    }

    /// Continues from a saved state.
    /// - Throws: ``TrainingError/stateMismatch(_:)`` when the buffer names or sizes differ
    ///   or the step count is negative.
    public func restore(_ state: OptimizerState<Scalar>) throws(TrainingError) {
        let names = configuration.kind.stateBufferNames
        guard state.stepCount >= 0, Set(state.buffers.keys) == Set(names) else {
            throw .stateMismatch(
                "optimizer state has buffers \(state.buffers.keys.sorted()) and step \(state.stepCount), expected \(names)")
        }
        for (name, buffer) in buffers {
            guard let saved = state.buffers[name], saved.count == buffer.count else {
                throw .stateMismatch("optimizer buffer \(name) has the wrong size")
            }
        }
        for (name, buffer) in buffers { _ = buffer.initialize(from: state.buffers[name]!) }
        stepCount = state.stepCount
    }
}

/// An optimiser's state: its step count and its buffers (laid out like the parameters).
public struct OptimizerState<Scalar: ActivationScalar>: Equatable, Sendable {
    /// Updates made so far.
    public var stepCount: Int
    /// Buffers by PyTorch name, e.g. `exp_avg`, `exp_avg_sq`, `momentum_buffer`.
    public var buffers: [String: [Scalar]]

    /// A state with `stepCount` updates made and these buffers (e.g. read from a checkpoint).
    public init(stepCount: Int, buffers: [String: [Scalar]]) {
        self.stepCount = stepCount
        self.buffers = buffers
    }
}
