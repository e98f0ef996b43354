import Activations
import Networks

/// What a model file holds: the architecture, the model built from it with the saved
/// parameters, and optionally the training state and a running average of the weights.
public struct ModelCheckpoint<Scalar: ActivationScalar> {
    /// The layer list, read from the `rectifier.architecture` metadata.
    public let architecture: Architecture
    /// The model with the saved parameters.
    public let model: Sequential<Scalar>
    /// The state a resumed run continues from, when the file carries one.
    public let trainingState: TrainingState<Scalar>?
    /// The running (Polyak) average of the parameters, when the file carries one.
    public let averagedParameters: AveragedParameters<Scalar>?
    /// The metadata besides the format's own `rectifier.*` keys.
    public let metadata: [String: String]
    /// The element type the parameters were stored as (`F32`, `F64`, `F16` or `BF16`).
    public let storedDType: SafeTensors.DType
}

/// A running average of a model's parameters, laid out like them: `μ ← α·μ + (1−α)·θ`
/// after each of `updateCount` optimiser steps.
public struct AveragedParameters<Scalar: ActivationScalar>: Equatable, Sendable {
    /// α, in [0, 1).
    public var decay: Double
    /// The number of updates folded in so far (for the bias correction 1 − αᵗ).
    public var updateCount: Int
    /// μ, one value per parameter, in the model's flat layout.
    public var values: [Scalar]

    /// An average from its parts.
    public init(decay: Double, updateCount: Int, values: [Scalar]) {
        self.decay = decay
        self.updateCount = updateCount
        self.values = values
    }
}
