/// Images read as sequences: sequential Fashion-MNIST feeds a recurrent layer one row of 28
/// pixels per step, 28 steps, and classifies after the last.
///
/// A step may hold any whole number of pixels that divides the image: `pixelsPerStep =
/// columns` (the default) reads one row per step; `pixelsPerStep = 1` is the harder
/// pixel-by-pixel variant (784 steps). The pixel layout of ``LabeledImages`` is already
/// `batch × time × features` for every such choice, so a batch is a gather of whole images.
public struct SequentialImages: Sendable {
    /// The images.
    public let images: LabeledImages
    /// Pixels per step (features), dividing `rows · columns`.
    public let featureCount: Int

    /// Steps per image, `rows · columns / featureCount`.
    public var length: Int { images.pixelsPerImage / featureCount }

    /// - Parameter pixelsPerStep: pixels read per step; `nil` means one row (`columns`).
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless `pixelsPerStep`
    ///   is ≥ 1 and divides `rows · columns`.
    public init(_ images: LabeledImages, pixelsPerStep: Int? = nil) throws(DatasetError) {
        let featureCount = pixelsPerStep ?? images.columns
        guard featureCount >= 1, images.pixelsPerImage % featureCount == 0 else {
            throw .invalidArgument(
                name: "pixels per step", value: String(featureCount),
                allowed:
                    "a divisor of \(images.pixelsPerImage) (rows × columns), e.g. \(images.columns)"
            )
        }
        self.images = images
        self.featureCount = featureCount
    }

    /// The images at `indices` as a batch of sequences, with their labels.
    /// Complexity: O(indices.count · rows · columns).
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `indices` is empty
    ///   or holds an index outside `0..<images.count`.
    public func makeBatch(indices: [Int]) throws(DatasetError) -> SequenceClassificationBatch {
        let chosen = try images.gathering(indices)
        return SequenceClassificationBatch(
            inputs: chosen.pixels, labels: chosen.labels, size: chosen.count, length: length,
            featureCount: featureCount)
    }
}

/// Sequences with one class label each, laid out for a recurrent layer.
public struct SequenceClassificationBatch: Sendable {
    /// `size × length × featureCount`, sequence-major, then step, then feature.
    public let inputs: [Float]
    /// One label per sequence.
    public let labels: [UInt8]
    /// Sequences in the batch.
    public let size: Int
    /// Steps per sequence.
    public let length: Int
    /// Features per step.
    public let featureCount: Int
}
