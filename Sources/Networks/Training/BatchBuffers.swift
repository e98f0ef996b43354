import Activations
import Runtime

/// Where a training batch is gathered: the features of the batch's samples, row after row,
/// and their targets, allocated once for the batch size.
final class BatchBuffers<Scalar: ActivationScalar> {
    private let features: AlignedStorage<Scalar>
    private let labels: UnsafeMutablePointer<Int>
    private let values: AlignedStorage<Scalar>
    private let featureCount: Int, outputCount: Int

    init(rows: Int, model: Sequential<Scalar>) {
        featureCount = model.inputSize
        outputCount = model.outputSize
        features = AlignedStorage(count: rows * featureCount)
        labels = .allocate(capacity: rows)
        values = AlignedStorage(count: rows * outputCount)
    }

    deinit {
        labels.deallocate()
    }

    /// The gathered features of the first `rows` samples.
    func features(rows: Int) -> MatrixBuffer<Scalar> {
        MatrixBuffer(features.base, rows: rows, columns: featureCount)
    }

    /// Copies the samples `order` of `data` (features and targets) into the buffers.
    func gather(_ data: Dataset<Scalar>, _ order: ArraySlice<Int32>) -> TargetBatch<Scalar> {
        Self.copyRows(data.features, order, into: features.base)
        switch data.targets {
        case .classes(let all):
            all.withUnsafeBufferPointer { all in
                for (row, index) in order.enumerated() { labels[row] = all[Int(index)] }
            }
            return .classes(labels)
        case .values(let all):
            Self.copyRows(all, order, into: values.base)
            return .values(MatrixBuffer(values.base, rows: order.count, columns: outputCount))
        }
    }

    /// Copies rows `order` of `matrix` to `target`, row after row, split across the workers
    /// when there is enough to copy (a Fashion-MNIST batch of 128 is 400 KB).
    private static func copyRows(
        _ matrix: Matrix<Scalar>, _ order: ArraySlice<Int32>, into target: UnsafeMutablePointer<Scalar>
    ) {
        let columns = matrix.columns
        matrix.withUnsafeBufferPointer { source in
            let first = order.startIndex
            Execution.current.forEachChunk(count: order.count, minimumChunk: (1 << 15) / Swift.max(1, columns)) { rows in
                for row in rows {
                    (target + row * columns).update(
                        from: source.baseAddress! + Int(order[first + row]) * columns, count: columns)
                }
            }
        }
    }
}
