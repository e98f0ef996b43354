/// The time-major buffers of a recurrent layer's passes, grown to the largest
/// `batch × length` seen and then reused (a smaller pass uses a prefix).
///
/// All are `time × batch × columns`: `inputs` (columns = features), `preActivations`,
/// `activations`, `states` and `preActivationGradients` (columns = units). `carry` and
/// `nextCarry` are `batch × units`: ∂L/∂h(t) while back-propagating.
struct RecurrentWorkspace<Scalar> {
    private(set) var capacity = 0
    private var storages: [AlignedStorage<Scalar>] = []
    private var carryStorages: [AlignedStorage<Scalar>] = []

    var inputs: UnsafeMutablePointer<Scalar> { storages[0].base }
    var preActivations: UnsafeMutablePointer<Scalar> { storages[1].base }
    var activations: UnsafeMutablePointer<Scalar> { storages[2].base }
    var states: UnsafeMutablePointer<Scalar> { storages[3].base }
    var preActivationGradients: UnsafeMutablePointer<Scalar> { storages[4].base }
    var carry: UnsafeMutablePointer<Scalar> { carryStorages[0].base }
    var nextCarry: UnsafeMutablePointer<Scalar> { carryStorages[1].base }

    /// Makes room for `steps = batch · length` rows of `features` inputs and `units` units.
    mutating func reserve(steps: Int, batchSize: Int, features: Int, units: Int) {
        if steps > capacity || storages.isEmpty {
            storages = [AlignedStorage(count: steps * features, zeroed: false)]
                + (0..<4).map { _ in AlignedStorage(count: steps * units, zeroed: false) }
            capacity = steps
        }
        if carryStorages.isEmpty || carryStorages[0].buffer.count < batchSize * units {
            carryStorages = (0..<2).map { _ in AlignedStorage(count: batchSize * units, zeroed: false) }
        }
    }

    /// The `batchSize × columns` slice of step `step` in a time-major buffer.
    func stepSlice(
        _ buffer: UnsafeMutablePointer<Scalar>, step: Int, batchSize: Int, columns: Int
    ) -> MatrixBuffer<Scalar> {
        MatrixBuffer(buffer + step * batchSize * columns, rows: batchSize, columns: columns)
    }

    /// Exchanges `carry` and `nextCarry`.
    mutating func swapCarries() { carryStorages.swapAt(0, 1) }
}
