/// Why training could not start, could not go on, or stopped.
///
/// Every message is one line naming the hyper-parameter, the data or the place in training.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A hyper-parameter is outside what the method allows.
    case invalidHyperparameter(name: String, value: String, allowed: String)
    /// The data cannot be trained on (shape, labels, non-finite values).
    case invalidData(String)
    /// The run diverged (``DivergenceRule``): a training or validation loss that is NaN or
    /// ±∞ (or, for regression, over 10³× the mean predictor's), or non-finite parameters.
    /// Epoch and batch count from 1 (a validation loss is seen after the epoch's last batch).
    /// The model then holds the parameters of the end of epoch `epoch − 1` (the initial
    /// ones for epoch 1), the state the last checkpoint saw.
    case diverged(epoch: Int, batch: Int, reason: String, backOffs: Int)
    /// The checkpoint hook threw.
    case checkpointFailed(epoch: Int, reason: String)
    /// A saved training state does not fit this model, optimiser or data.
    case stateMismatch(String)

    public var description: String {
        switch self {
        case let .invalidHyperparameter(name, value, allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        case let .invalidData(detail):
            return "training data: \(detail)"
        case let .diverged(epoch, batch, reason, backOffs):
            let tried = backOffs > 0 ? " after \(backOffs) learning-rate back-off(s)" : ""
            return "training diverged at epoch \(epoch), batch \(batch): \(reason)\(tried); "
                + "the model keeps the parameters from the end of epoch \(epoch - 1); try a lower learning rate"
        case let .checkpointFailed(epoch, reason):
            return "checkpoint after epoch \(epoch) failed: \(reason)"
        case let .stateMismatch(detail):
            return "cannot resume: \(detail)"
        }
    }

    /// Throws ``invalidHyperparameter(name:value:allowed:)`` unless `condition` holds.
    static func require(
        _ condition: Bool, _ name: String, _ value: some CustomStringConvertible, _ allowed: String
    ) throws(TrainingError) {
        if !condition { throw .invalidHyperparameter(name: name, value: value.description, allowed: allowed) }
    }
}
