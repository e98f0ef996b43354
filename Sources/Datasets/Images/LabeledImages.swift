/// Labelled grey-scale images, all of one size, held as one contiguous buffer of pixels.
///
/// Pixel scaling: a stored byte x ∈ 0…255 becomes `Float(x) / 255`, the correctly rounded
/// quotient, in [0, 1] (0 → 0, 255 → 1). No mean is subtracted.
///
/// Layout: `pixels` is `count × rows × columns`, image-major then row-major, so image i
/// starts at `i · pixelsPerImage` and its row r at `i · pixelsPerImage + r · columns`. This is
/// also `batch × time × features` for a sequence model that reads one row per step.
public struct LabeledImages: Sendable {
    /// `count × rows × columns` pixels in [0, 1].
    public let pixels: [Float]
    /// One label per image, each below ``classCount``.
    public let labels: [UInt8]
    /// Pixel rows per image, ≥ 1.
    public let rows: Int
    /// Pixel columns per image, ≥ 1.
    public let columns: Int
    /// The name of each class, indexed by label.
    public let classNames: [String]

    /// The number of images, ≥ 1.
    public var count: Int { labels.count }
    /// The number of classes; every label is below it.
    public var classCount: Int { classNames.count }
    /// `rows · columns`.
    public var pixelsPerImage: Int { rows * columns }

    /// Images from their parts, checked.
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `rows` or
    ///   `columns` is below 1, there are no labels, `pixels.count ≠ labels.count · rows ·
    ///   columns`, a pixel is outside [0, 1] or NaN, there are no class names or more than
    ///   256, or a label is not below the number of class names.
    public init(
        pixels: [Float], labels: [UInt8], rows: Int, columns: Int, classNames: [String]
    ) throws(DatasetError) {
        guard rows >= 1, columns >= 1 else {
            throw .invalidArgument(
                name: "image size", value: "\(rows)×\(columns)", allowed: "rows and columns ≥ 1")
        }
        guard !labels.isEmpty else {
            throw .invalidArgument(name: "labels", value: "none", allowed: "at least one image")
        }
        let (expected, overflow) = labels.count.multipliedReportingOverflow(by: rows * columns)
        guard !overflow, pixels.count == expected else {
            throw .invalidArgument(
                name: "pixels.count", value: String(pixels.count),
                allowed: "labels.count × rows × columns = \(labels.count) × \(rows) × \(columns)")
        }
        if let bad = pixels.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument(
                name: "pixels[\(bad)]", value: String(pixels[bad]), allowed: "a value in [0, 1]")
        }
        guard (1...256).contains(classNames.count) else {
            throw .invalidArgument(
                name: "classNames.count", value: String(classNames.count), allowed: "1…256")
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classNames.count }) {
            throw .invalidArgument(
                name: "labels[\(bad)]", value: String(labels[bad]),
                allowed: "0…\(classNames.count - 1)")
        }
        self.init(
            checkedPixels: pixels, labels: labels, rows: rows, columns: columns,
            classNames: classNames)
    }

    /// Images whose parts the caller has already checked.
    init(
        checkedPixels pixels: [Float], labels: [UInt8], rows: Int, columns: Int,
        classNames: [String]
    ) {
        self.pixels = pixels
        self.labels = labels
        self.rows = rows
        self.columns = columns
        self.classNames = classNames
    }

    /// The pixels of image `index`, `rows × columns` values, row-major.
    /// - Precondition: `0 ≤ index < count`.
    public func pixels(ofImage index: Int) -> ArraySlice<Float> {
        pixels[index * pixelsPerImage..<(index + 1) * pixelsPerImage]
    }

    /// How many images each class has, indexed by label. O(count).
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// The images at `indices`, in that order (repeats allowed). O(indices.count · pixelsPerImage).
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `indices` is empty
    ///   or an index is outside `0..<count`.
    public func gathering(_ indices: [Int]) throws(DatasetError) -> LabeledImages {
        guard !indices.isEmpty else {
            throw .invalidArgument(name: "indices", value: "[]", allowed: "at least one index")
        }
        if let bad = indices.firstIndex(where: { !(0..<count).contains($0) }) {
            throw .invalidArgument(
                name: "indices[\(bad)]", value: String(indices[bad]), allowed: "0..<\(count)")
        }
        let stride = pixelsPerImage
        let gathered = makeFloatArray(count: indices.count * stride) { destination in
            pixels.withUnsafeBufferPointer { source in
                for (position, index) in indices.enumerated() {
                    let from = UnsafeBufferPointer(
                        rebasing: source[index * stride..<(index + 1) * stride])
                    _ = UnsafeMutableBufferPointer(
                        rebasing: destination[position * stride..<(position + 1) * stride]
                    ).initialize(fromContentsOf: from)
                }
            }
        }
        return LabeledImages(
            checkedPixels: gathered, labels: indices.map { labels[$0] }, rows: rows,
            columns: columns, classNames: classNames)
    }
}
