import Runtime

/// Gathers examples from a source into batches of a fixed size in one reused buffer and
/// hands each full batch on (what ``DataReader/forEachBatch(of:batchSize:blockBytes:preprocessing:_:)``
/// is built on).
struct Batches {
    let shape: [Int]
    let featureNames: [String]?
    let batchSize: Int
    let preprocessing: Preprocessing
    var featureCount: Int { shape.reduce(1, *) }
    private var values: [Float]
    /// Examples in the buffer, and the index of the buffer's first.
    private var filled = 0, first = 0

    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `preprocessing`
    ///   does not fit the shape, `.insufficientMemory` when the buffer does not fit.
    init(shape: [Int], featureNames: [String]?, batchSize: Int, preprocessing: Preprocessing) throws(DatasetError) {
        (self.shape, self.featureNames, self.batchSize, self.preprocessing) = (shape, featureNames, batchSize, preprocessing)
        let width = shape.reduce(1, *)
        try preprocessing.check(featureCount: width)
        let count = MemoryBudget.product(batchSize, width)
        try requireMemory(count.flatMap { MemoryBudget.product($0, 4) }, for: "a batch of \(batchSize) examples of \(width) values")
        values = [Float](repeating: 0, count: count!)
    }

    /// Adds `count` examples, which `fill(destination, first, n, preprocessing)` writes `n`
    /// at a time (from the `first`-th of them) into the buffer; each full batch goes to `body`.
    mutating func append(
        _ count: Int, _ body: (Examples, Int) throws -> Void,
        fill: (UnsafeMutablePointer<Float>, Int, Int, Preprocessing) throws -> Void
    ) throws {
        var done = 0
        let width = featureCount
        while done < count {
            let n = min(batchSize - filled, count - done)
            try values.withUnsafeMutableBufferPointer { buffer in
                try fill(buffer.baseAddress! + filled * width, done, n, preprocessing)
            }
            (filled, done) = (filled + n, done + n)
            if filled == batchSize { try emit(body) }
        }
    }

    /// Hands on the examples left over.
    mutating func finish(_ body: (Examples, Int) throws -> Void) throws {
        if filled > 0 { try emit(body) }
    }

    private mutating func emit(_ body: (Examples, Int) throws -> Void) throws {
        if filled < batchSize { values.removeLast((batchSize - filled) * featureCount) }
        try body(Examples(checked: values, shape: shape, targets: .none, featureNames: featureNames), first)
        (first, filled) = (first + filled, 0)
    }
}
