#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads examples from the forms people keep data in, recognised by ``format(of:)``:
///
/// - a directory of MNIST-format files (``MNISTFormat``; its test files become ``LoadedData/test``);
/// - a `.csv` file: a header row, numeric feature columns, the target column named by
///   ``target`` (default: the last column) holding integers or strings (or numbers, for
///   regression);
/// - a `.npz` archive with arrays `x` (N×D, N×H×W or N×C×H×W; uint8, float32 or float64) and
///   `y` (N integer or string labels, or numbers), or `x_train`/`y_train`/`x_test`/`y_test`
///   (the layout of Keras' data sets), and a `.npy` array of features;
/// - a directory with one sub-directory of PNG images per class (torchvision's
///   `ImageFolder`), grey or RGB, read as `[C, H, W]` with values 0…255.
///
/// Classes are the sorted distinct labels (K ≥ 2), or ``classNames`` when given. With
/// ``featuresOnly`` no targets are read: a CSV's target column, if present, is ignored, and a
/// folder of PNG files without sub-directories is read too.
public struct DataReader: Sendable {
    /// What the target is.
    public enum Task: String, Sendable, Codable, CaseIterable {
        /// Class labels: integers or strings.
        case classification
        /// Numbers.
        case regression
    }

    /// The CSV target column; nil: the last column.
    public var target: String?
    public var task: Task
    /// The classes to map labels to (a model's); nil: the sorted distinct labels read.
    public var classNames: [String]?
    /// The CSV feature columns to read, in this order (a model's); nil: every column but the target.
    public var featureNames: [String]?
    /// Read inputs only, no targets.
    public var featuresOnly: Bool
    /// The names of the labels of an MNIST-format directory, indexed by label (e.g.
    /// ``FashionMNIST/classNames``); nil: the labels in decimal.
    public var mnistLabelNames: [String]?
    /// Read only the test split of a source that has one: an MNIST-format directory's
    /// `t10k-*` files become ``LoadedData/examples``, and its `train-*` files need not exist.
    public var testSplitOnly: Bool = false

    public init(
        target: String? = nil, task: Task = .classification, classNames: [String]? = nil,
        featureNames: [String]? = nil, featuresOnly: Bool = false, mnistLabelNames: [String]? = nil
    ) {
        (self.target, self.task, self.classNames, self.featureNames, self.featuresOnly, self.mnistLabelNames) =
            (target, task, classNames, featureNames, featuresOnly, mnistLabelNames)
    }

    /// Reads `path` in the format ``format(of:)`` recognises.
    /// - Throws: ``DatasetError``: `.missingFile`, `.unreadableFile`, `.badData` (one line
    ///   naming the row and column, array or image), `.insufficientMemory`, and the IDX errors.
    public func read(_ path: String) throws(DatasetError) -> LoadedData {
        let format = try Self.format(of: path)
        switch format {
        case .mnist where testSplitOnly:
            let test = try readMNIST(path, MNISTFormat.testImagesFile, MNISTFormat.testLabelsFile, given: classNames)
            return LoadedData(examples: test, test: nil, format: format)
        case .mnist:
            let training = try readMNIST(path, MNISTFormat.trainingImagesFile, MNISTFormat.trainingLabelsFile, given: classNames)
            let test = try readMNIST(path, MNISTFormat.testImagesFile, MNISTFormat.testLabelsFile, given: training.classNames)
            return LoadedData(examples: training, test: test, format: format)
        case .csv:
            return LoadedData(examples: try CSVReader.read(path, options: self), test: nil, format: format)
        case .npz, .npy:
            let (examples, test) = try NumPyReader.read(path, format: format, options: self)
            return LoadedData(examples: examples, test: test, format: format)
        case .imageFolder:
            return LoadedData(examples: try ImageFolderReader.read(path, options: self), test: nil, format: format)
        }
    }

    /// Hands the features of `path` to `body` `batchSize` examples at a time (the last batch
    /// may hold fewer), with the index of each batch's first example, as ``featuresOnly``
    /// reads them (no targets). `preprocessing` is asked once, before any batch, with the
    /// shape of one example and the CSV columns, and its scaling is applied while the values
    /// are converted to `Float`.
    ///
    /// Memory stays flat whatever the size of the source: a `.npy` array or an `.npz`
    /// archive's `x` (stored, or inflated on the way) is read a batch at a time, a CSV file
    /// `blockBytes` of rows at a time (at least one row), a folder of PNG images one image at
    /// a time, an MNIST-format directory's images file (the test file with ``testSplitOnly``,
    /// else the training file; no labels needed) a batch at a time, inflated on the way when
    /// gzipped. One batch buffer is reused: a
    /// `body` that keeps the examples past its return costs a copy of them.
    /// - Throws: what ``read(_:)`` throws, what `preprocessing` and `body` throw, and
    ///   ``DatasetError/invalidArgument(name:value:allowed:)`` when the preprocessing does not
    ///   fit the examples' width.
    /// - Precondition: `batchSize ≥ 1`.
    public func forEachBatch(
        of path: String, batchSize: Int, blockBytes: Int = 1 << 22,
        preprocessing: (_ shape: [Int], _ featureNames: [String]?) throws -> Preprocessing = { _, _ in .none },
        _ body: (Examples, Int) throws -> Void
    ) throws {
        precondition(batchSize >= 1, "DataReader.forEachBatch: batch size below 1")
        var options = self
        options.featuresOnly = true
        func batches(shape: [Int], featureNames: [String]?) throws -> Batches {
            try Batches(shape: shape, featureNames: featureNames, batchSize: batchSize, preprocessing: preprocessing(shape, featureNames))
        }
        let format = try Self.format(of: path)
        switch format {
        case .csv:
            var assembler: Batches?
            try CSVReader.forEachBlock(path, options: options, blockBytes: max(blockBytes, 1)) { examples in
                if assembler == nil { assembler = try batches(shape: examples.shape, featureNames: examples.featureNames) }
                try assembler!.append(examples.count, body) { destination, first, count, preprocessing in
                    examples.features.withUnsafeBufferPointer { source in
                        preprocessing.transform(
                            source.baseAddress! + first * examples.featureCount, count: count * examples.featureCount,
                            into: destination, featureCount: examples.featureCount) { $0 }
                    }
                }
            }
            try assembler?.finish(body)
        case .npy, .npz:
            let array = try NumPyReader.featureArray(path, format: format)
            var assembler = try batches(shape: Array(array.shape.dropFirst()), featureNames: nil)
            let width = assembler.featureCount
            try assembler.append(array.shape[0], body) { destination, first, count, preprocessing in
                try array.read(count * width, into: destination, preprocessing: preprocessing, featureCount: width, first: first * width)
            }
            try assembler.finish(body)
            try array.region.finish()
        case .imageFolder:
            var decoder = ImageFolderReader.Decoder(try ImageFolderReader.Listing(path, featuresOnly: true))
            var assembler = try batches(shape: decoder.listing.shape, featureNames: nil)
            let width = assembler.featureCount
            try assembler.append(decoder.listing.files.count, body) { destination, first, count, preprocessing in
                for index in 0..<count { try decoder.decode(first + index, into: destination + index * width, preprocessing: preprocessing) }
            }
            try assembler.finish(body)
        case .mnist:
            let name = testSplitOnly ? MNISTFormat.testImagesFile : MNISTFormat.trainingImagesFile
            guard let file = MNISTFormat.locate(name, in: path) else { throw DatasetError.dataSetNotFound(directory: path, missing: [name + "[.gz]"]) }
            var rows = try IDXReader.Rows(contentsOf: file, dimensionCount: 3)
            var assembler = try batches(shape: Array(rows.dimensions.dropFirst()), featureNames: nil)
            let width = assembler.featureCount
            var pixels = [UInt8](repeating: 0, count: batchSize * width)
            try assembler.append(rows.dimensions[0], body) { destination, _, count, preprocessing in
                try pixels.withMutableBytes { bytes throws(DatasetError) in
                    try rows.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<count * width]))
                }
                pixels.withUnsafeBufferPointer { source in
                    preprocessing.transform(source.baseAddress, count: count * width, into: destination, featureCount: width) { Float($0) }
                }
            }
            try assembler.finish(body)
        }
    }

    /// The format of `path`: a directory holding `train-images-idx3-ubyte[.gz]` or
    /// `t10k-images-idx3-ubyte[.gz]` is MNIST, any
    /// other directory an image folder; a file by its extension (`.csv`, `.npz`, `.npy`), or
    /// else by its first bytes (zip, NumPy magic).
    public static func format(of path: String) throws(DatasetError) -> DataFormat {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missingFile(path: path) }
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            let isMNIST = [MNISTFormat.trainingImagesFile, MNISTFormat.testImagesFile].contains {
                MNISTFormat.locate($0, in: path) != nil
            }
            return isMNIST ? .mnist : .imageFolder
        }
        let lowered = path.lowercased()
        for format in [DataFormat.csv, .npz, .npy] where lowered.hasSuffix("." + format.rawValue) { return format }
        let file = try FileByteSource(path: path)
        var magic = [UInt8](repeating: 0, count: 6)
        if let size = file.knownSize, size >= 6 {
            try magic.withMutableBytes { buffer throws(DatasetError) in try file.read(at: 0, into: buffer) }
        }
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .npz }
        if magic == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] { return .npy }
        throw .badData(
            path: path,
            reason: "not a data file Rectifier reads (.csv, .npz, .npy, a folder of class folders of PNG images, or an MNIST-format folder)")
    }

    private func readMNIST(_ directory: String, _ images: String, _ labels: String, given: [String]?) throws(DatasetError) -> Examples {
        guard let imagesPath = MNISTFormat.locate(images, in: directory), let labelsPath = MNISTFormat.locate(labels, in: directory) else {
            throw .dataSetNotFound(directory: directory, missing: [images + "[.gz]", labels + "[.gz]"])
        }
        let pixels = try IDXReader.readUnsignedBytes(contentsOf: imagesPath, dimensionCount: 3)
        let labelBytes = try IDXReader.readUnsignedBytes(contentsOf: labelsPath, dimensionCount: 1)
        guard pixels.dimensions[0] == labelBytes.dimensions[0] else {
            throw .countMismatch(imagesPath: imagesPath, imageCount: pixels.dimensions[0], labelsPath: labelsPath, labelCount: labelBytes.dimensions[0])
        }
        let targets: Examples.Targets = featuresOnly ? .none : try classTargets(
            labelBytes.elements.map(Int64.init),
            name: { label in mnistLabelNames.flatMap { $0.indices.contains(Int(label)) ? $0[Int(label)] : nil } ?? String(label) },
            given: given, path: labelsPath, column: "the labels")
        let features = makeFloatArray(count: pixels.elements.count) { output in
            for (index, byte) in pixels.elements.enumerated() { output[index] = Float(byte) }
        }
        return Examples(checked: features, shape: Array(pixels.dimensions.dropFirst()), targets: targets)
    }
}
