import Activations

/// What a network should output for each sample: a class index, or a row of values.
public enum Targets<Scalar: ActivationScalar>: Equatable, Sendable {
    /// One class index per sample, in `0..<outputs` (in `0...1` for a single-output
    /// binary network).
    case classes([Int])
    /// One row of target values per sample (regression), `samples × outputs`.
    case values(Matrix<Scalar>)

    /// The number of samples.
    public var count: Int {
        switch self {
        case .classes(let labels): return labels.count
        case .values(let matrix): return matrix.rows
        }
    }
}

/// The targets of one batch, as views (the trainer gathers them next to the features).
enum TargetBatch<Scalar: ActivationScalar> {
    case classes(UnsafePointer<Int>)
    case values(MatrixBuffer<Scalar>)
}
