import Runtime

extension Examples {
    /// What each example is to be mapped to.
    public enum Targets: Sendable, Equatable {
        /// No targets: features only (inputs to predict on).
        case none
        /// One class index per example, each below `names.count`; `names` are the sorted distinct
        /// labels (integers in numeric order, written in decimal; strings in `String` order).
        case classes(indices: [Int], names: [String])
        /// One numeric target per example (regression).
        case values([Float])

        /// The number of examples the targets cover; nil for ``none``.
        var count: Int? {
            switch self {
            case .none: return nil
            case let .classes(indices, _): return indices.count
            case let .values(values): return values.count
            }
        }
    }
}

/// `count` examples of one feature shape, as `Float`, with their targets.
///
/// Layout: `features` is `count × featureCount`, example-major; an example of shape
/// `[C, H, W]` is channel-major then row-major, as PyTorch and ONNX lay out images. Values are
/// as read (pixels 0…255, CSV numbers as written); ``Preprocessing`` scales them.
public struct Examples: Sendable {
    /// `count × featureCount` values.
    public let features: [Float]
    /// The shape of one example: `[D]`, `[H, W]` or `[C, H, W]`.
    public let shape: [Int]
    /// One target per example, or none.
    public let targets: Examples.Targets
    /// The CSV column of each feature, in order; nil for arrays and images.
    public let featureNames: [String]?

    /// The number of values per example, the product of ``shape``.
    public var featureCount: Int { shape.reduce(1, *) }
    /// The number of examples.
    public var count: Int { featureCount == 0 ? 0 : features.count / featureCount }

    /// Examples from their parts, checked.
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when a dimension is
    ///   below 1, `features.count` is not a multiple of the shape's size, the targets cover
    ///   another number of examples, or a class index is outside the names.
    public init(
        features: [Float], shape: [Int], targets: Examples.Targets, featureNames: [String]? = nil
    ) throws(DatasetError) {
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 1 }),
            let size = MemoryBudget.product(shape), features.count % size == 0
        else {
            throw .invalidArgument(
                name: "shape", value: "\(shape)",
                allowed: "dimensions ≥ 1 whose product divides features.count = \(features.count)")
        }
        let count = features.count / size
        if let targetCount = targets.count, targetCount != count {
            throw .invalidArgument(
                name: "targets", value: "\(targetCount) targets", allowed: "one per example, \(count)")
        }
        if case let .classes(indices, names) = targets,
            let bad = indices.firstIndex(where: { !names.indices.contains($0) })
        {
            throw .invalidArgument(
                name: "class index \(bad)", value: String(indices[bad]), allowed: "0..<\(names.count)")
        }
        if let featureNames, featureNames.count != size {
            throw .invalidArgument(
                name: "featureNames.count", value: String(featureNames.count), allowed: String(size))
        }
        self.init(checked: features, shape: shape, targets: targets, featureNames: featureNames)
    }

    init(checked features: [Float], shape: [Int], targets: Examples.Targets, featureNames: [String]? = nil) {
        self.features = features
        self.shape = shape
        self.targets = targets
        self.featureNames = featureNames
    }

    /// The class names, or nil unless the targets are classes.
    public var classNames: [String]? {
        if case let .classes(_, names) = targets { return names }
        return nil
    }

    /// The examples at `indices`, in that order. O(indices.count · featureCount).
    /// - Precondition: every index is in `0..<count`.
    public func gathering(_ indices: [Int]) -> Examples {
        let stride = featureCount
        let gathered = makeFloatArray(count: indices.count * stride) { destination in
            features.withUnsafeBufferPointer { source in
                for (position, index) in indices.enumerated() {
                    UnsafeMutableRawPointer(destination.baseAddress! + position * stride).copyMemory(
                        from: source.baseAddress! + index * stride, byteCount: stride * 4)
                }
            }
        }
        let picked: Examples.Targets
        switch targets {
        case .none: picked = .none
        case let .classes(labels, names): picked = .classes(indices: indices.map { labels[$0] }, names: names)
        case let .values(values): picked = .values(indices.map { values[$0] })
        }
        return Examples(checked: gathered, shape: shape, targets: picked, featureNames: featureNames)
    }
}

/// The formats ``DataReader`` recognises.
public enum DataFormat: String, Sendable, Codable, CaseIterable {
    /// A directory of the four MNIST-format IDX files.
    case mnist
    /// A `.csv` file with a header row.
    case csv
    /// A NumPy `.npz` archive holding `x` and `y`.
    case npz
    /// A NumPy `.npy` array of features.
    case npy
    /// A directory with one sub-directory of PNG images per class.
    case imageFolder = "image-folder"
}

/// What ``DataReader/read(_:)`` returns: the examples, a test split when the source has one
/// (MNIST-format directories), and the format it recognised.
public struct LoadedData: Sendable {
    public let examples: Examples
    public let test: Examples?
    public let format: DataFormat
}

/// The class targets of `keys` (labels as read): the classes are the sorted distinct keys,
/// or `given` (a model's class names, matched by `name(key)`).
///
/// - Throws: ``DatasetError/badData(path:reason:)`` when there are fewer than two classes, or
///   a label is not one of `given`.
func classTargets<Key: Hashable & Comparable>(
    _ keys: [Key], name: (Key) -> String, given: [String]?, path: String, column: String
) throws(DatasetError) -> Examples.Targets {
    let names: [String]
    var index: [Key: Int] = [:]
    if let given {
        let position = Dictionary(given.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(keys) {
            guard let found = position[name(key)] else {
                throw .badData(
                    path: path,
                    reason: "\(column) has the label '\(name(key))', which is not one of the classes "
                        + given.prefix(10).joined(separator: ", ") + (given.count > 10 ? ", …" : ""))
            }
            index[key] = found
        }
        names = given
    } else {
        let distinct = Set(keys).sorted()
        guard distinct.count >= 2 else {
            throw .badData(
                path: path,
                reason: "\(column) has \(distinct.count == 1 ? "one class ('\(name(distinct[0]))')" : "no labels"); "
                    + "classification needs at least two")
        }
        for (position, key) in distinct.enumerated() { index[key] = position }
        names = distinct.map(name)
    }
    return .classes(indices: keys.map { index[$0]! }, names: names)
}

/// Refuses `bytes` (nil: overflowed) when the machine lacks the memory, naming `subject`.
func requireMemory(_ bytes: Int?, for subject: String) throws(DatasetError) {
    do {
        try MemoryBudget.require(bytes, for: subject)
    } catch {
        throw .insufficientMemory(error)
    }
}
