import Activations

/// The training objectives. Each gives the batch mean of a per-sample loss and its
/// gradient with respect to the network's outputs f (the logits); the gradient already
/// carries the 1/B of the mean. With y ∈ {−1, +1} and m = y·f the margin:
///
/// | case | per-sample loss | targets |
/// |---|---|---|
/// | ``softmaxCrossEntropy`` | `logsumexp(f) − f_label` | classes, ≥ 2 outputs |
/// | ``logistic`` | `softplus(−m)` (the softplus definition) | classes |
/// | ``hinge`` | `relu(1 − m)` | classes |
/// | ``squaredHinge`` | `relu(1 − m)²` | classes |
/// | ``perceptron`` | `relu(−m)` | classes |
/// | ``multiclassHinge`` | `(1/C)·Σ_{j≠label} relu(1 − f_label + f_j)` | classes, ≥ 2 outputs |
/// | ``meanSquaredError`` | `(1/C)·Σ_j (f_j − t_j)²` | values, or classes as one-hot |
///
/// The binary losses (logistic, hinge, squared hinge, perceptron) take y = +1 for class 1
/// and −1 for class 0 on a single-output network; with C ≥ 2 outputs they are
/// one-vs-rest, y_j = +1 for the label's output and −1 for the others, summed over j.
/// The multi-class hinge is Weston–Watkins's, divided by C as PyTorch's
/// `MultiMarginLoss` (margin 1, p = 1) is, so the numbers compare directly.
/// At a kink the gradient is relu′(0) = 0. Accuracy counts the predicted class of
/// ``Sequential/predictClasses(_:)`` (regression targets have none).
public enum Loss: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case softmaxCrossEntropy = "cross-entropy"
    case logistic = "logistic"
    case hinge = "hinge"
    case squaredHinge = "squared-hinge"
    case perceptron = "perceptron"
    case multiclassHinge = "multiclass-hinge"
    case meanSquaredError = "mse"

    /// The name used on the command line and in logs, e.g. `cross-entropy`.
    public var description: String { rawValue }

    /// Value, gradient and correct count for a batch of `outputs` (`B × C`).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the targets do not fit
    ///   the outputs or this loss (see ``validate(targets:outputCount:)``).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate<Scalar: ActivationScalar>(
        outputs: Matrix<Scalar>, targets: Targets<Scalar>
    ) throws(NetworkError) -> LossEvaluation<Scalar> {
        try validate(targets: targets, outputCount: outputs.columns)
        guard targets.count == outputs.rows, outputs.rows > 0 else {
            throw .shapeMismatch(what: "targets", detail: "\(targets.count) targets for \(outputs.rows) outputs")
        }
        var gradient = Matrix<Scalar>(rows: outputs.rows, columns: outputs.columns)
        var copy = outputs
        let result = copy.withUnsafeMutableBufferPointer { out in
            gradient.withUnsafeMutableBufferPointer { grad in
                let outputView = MatrixBuffer(out.baseAddress!, rows: outputs.rows, columns: outputs.columns)
                let gradientView = MatrixBuffer(grad.baseAddress!, rows: outputs.rows, columns: outputs.columns)
                switch targets {
                case .classes(let labels):
                    return labels.withUnsafeBufferPointer {
                        compute(outputs: outputView, targets: .classes($0.baseAddress!), gradient: gradientView)
                    }
                case .values(var values):
                    let (rows, columns) = (values.rows, values.columns)
                    return values.withUnsafeMutableBufferPointer {
                        compute(
                            outputs: outputView,
                            targets: .values(MatrixBuffer($0.baseAddress!, rows: rows, columns: columns)),
                            gradient: gradientView)
                    }
                }
            }
        }
        let correct: Int? = if case .classes = targets { result.correct } else { nil }
        return LossEvaluation(value: result.sum / Double(outputs.rows), gradient: gradient, correct: correct)
    }

    /// Checks that `targets` suit this loss on a network with `outputCount` outputs:
    /// class indices in range, regression values only for ``meanSquaredError`` and with one
    /// column per output, ≥ 2 outputs for the softmax and multi-class hinge.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` naming the first bad target.
    public func validate<Scalar>(targets: Targets<Scalar>, outputCount: Int) throws(NetworkError) {
        if (self == .softmaxCrossEntropy || self == .multiclassHinge), outputCount < 2 {
            throw .shapeMismatch(what: "loss \(self)", detail: "needs at least 2 outputs, the model has \(outputCount)")
        }
        switch targets {
        case .classes(let labels):
            let classes = outputCount == 1 ? 2 : outputCount
            if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
                throw .shapeMismatch(
                    what: "labels", detail: "label \(labels[index]) at sample \(index) is outside 0..<\(classes)")
            }
        case .values(let values):
            guard self == .meanSquaredError else {
                throw .shapeMismatch(what: "loss \(self)", detail: "needs class labels, not target values")
            }
            guard values.columns == outputCount else {
                throw .shapeMismatch(
                    what: "targets", detail: "have \(values.columns) columns, the model has \(outputCount) outputs")
            }
            if let index = values.firstNonFiniteIndex {
                throw .nonFiniteValue(what: "targets", index: index)
            }
        }
    }

    /// The kernel: writes ∂(mean loss)/∂outputs into `gradient` (same shape) and returns
    /// the sum of per-sample losses and the number of correct predictions.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func compute<Scalar: ActivationScalar>(
        outputs: MatrixBuffer<Scalar>, targets: TargetBatch<Scalar>, gradient: MatrixBuffer<Scalar>
    ) -> (sum: Double, correct: Int) {
        switch (self, targets) {
        case (.softmaxCrossEntropy, .classes(let labels)):
            return SoftmaxCrossEntropy.compute(outputs, labels, gradient)
        case (.logistic, .classes(let labels)), (.hinge, .classes(let labels)),
            (.squaredHinge, .classes(let labels)), (.perceptron, .classes(let labels)):
            return MarginLoss.compute(self, outputs, labels, gradient)
        case (.multiclassHinge, .classes(let labels)):
            return MulticlassHinge.compute(outputs, labels, gradient)
        case (.meanSquaredError, _):
            return MeanSquaredError.compute(outputs, targets, gradient)
        default:
            preconditionFailure("\(self): targets not validated")
        }
    }
}

/// A loss's value on a batch (the mean over samples), its gradient with respect to the
/// outputs, and the number of correctly classified samples (nil for regression targets).
public struct LossEvaluation<Scalar: ActivationScalar>: Equatable, Sendable {
    /// The mean of the per-sample losses.
    public var value: Double
    /// ∂value/∂outputs, the shape of the outputs.
    public var gradient: Matrix<Scalar>
    /// Samples whose predicted class is the label (nil for regression targets).
    public var correct: Int?
}
