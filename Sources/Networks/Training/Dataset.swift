import Activations

/// Samples in memory: a feature matrix (one row per sample) and their targets.
///
/// A data loader fills the matrix once (e.g. Fashion-MNIST's 60 000 × 784 pixels scaled to
/// [0, 1]); the trainer gathers each batch's rows from it in the epoch's order.
public struct Dataset<Scalar: ActivationScalar>: Sendable {
    /// `count × featureCount`.
    public let features: Matrix<Scalar>
    /// One target per row of ``features``.
    public let targets: Targets<Scalar>

    /// - Throws: ``TrainingError/invalidData(_:)`` when there are no samples or the number
    ///   of targets differs from the number of rows.
    public init(features: Matrix<Scalar>, targets: Targets<Scalar>) throws(TrainingError) {
        guard features.rows >= 1 else { throw .invalidData("the data set has no samples") }
        guard targets.count == features.rows else {
            throw .invalidData("\(features.rows) samples but \(targets.count) targets")
        }
        self.features = features
        self.targets = targets
    }

    /// A classification data set.
    public init(features: Matrix<Scalar>, labels: [Int]) throws(TrainingError) {
        try self.init(features: features, targets: .classes(labels))
    }

    /// The number of samples.
    public var count: Int { features.rows }
    /// Features per sample.
    public var featureCount: Int { features.columns }

    /// The class labels, or nil for regression targets.
    public var labels: [Int]? {
        if case .classes(let labels) = targets { return labels }
        return nil
    }

    /// The samples at `indices`, in that order (e.g. a validation split).
    /// - Precondition: `indices` is not empty and every index is in `0..<count`.
    public func subset(_ indices: [Int]) -> Dataset {
        precondition(!indices.isEmpty, "Dataset.subset: no indices")
        let targets: Targets<Scalar>
        switch self.targets {
        case .classes(let labels): targets = .classes(indices.map { labels[$0] })
        case .values(let values): targets = .values(Self.gatherRows(values, indices))
        }
        // Counts agree by construction.
        return try! Dataset(features: Self.gatherRows(features, indices), targets: targets)
    }

    /// Splits off the last `count` samples, e.g. a held-out validation set:
    /// `(first n − count, last count)`.
    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming
    ///   `validation size` unless 1 ≤ count < ``count``.
    public func split(holdingOut heldOut: Int) throws(TrainingError) -> (training: Dataset, validation: Dataset) {
        try TrainingError.require(
            heldOut >= 1 && heldOut < count, "validation size", heldOut, "1..<\(count), the data set's size")
        return (subset(Array(0..<count - heldOut)), subset(Array(count - heldOut..<count)))
    }
}

extension Dataset {
    /// The rows `indices` of `matrix`, in that order.
    fileprivate static func gatherRows(_ matrix: Matrix<Scalar>, _ indices: [Int]) -> Matrix<Scalar> {
        let columns = matrix.columns
        return Matrix(rows: indices.count, columns: columns) { target in
            matrix.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < matrix.rows, "Dataset.subset: index \(index) out of range")
                    (target.baseAddress! + row * columns).update(
                        from: source.baseAddress! + index * columns, count: columns)
                }
            }
        }
    }
}
