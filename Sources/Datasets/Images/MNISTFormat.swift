#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A training set and a test set of labelled images, read from one directory.
///
/// Keep ``test`` for the final figure only: choose hyper-parameters on a validation split of
/// ``training`` (``LabeledImages/heldOutSplit(validationCount:seed:)``).
public struct ImageDataSet: Sendable {
    /// The training images (60 000 for Fashion-MNIST).
    public let training: LabeledImages
    /// The test images (10 000 for Fashion-MNIST).
    public let test: LabeledImages
    /// The directory they were read from.
    public let directory: String

    /// Training and test images from their parts (e.g. images made in memory); `directory`
    /// names their source in messages.
    public init(training: LabeledImages, test: LabeledImages, directory: String) {
        self.training = training
        self.test = test
        self.directory = directory
    }
}

/// Directories of MNIST-format files: the four IDX files of MNIST, Fashion-MNIST, KMNIST
/// and their kin.
///
/// ```
/// train-images-idx3-ubyte[.gz]  n × rows × columns unsigned bytes
/// train-labels-idx1-ubyte[.gz]  n unsigned bytes
/// t10k-images-idx3-ubyte[.gz]   the test set, likewise
/// t10k-labels-idx1-ubyte[.gz]
/// ```
/// Each file may be plain or gzip-compressed (recognised by its first bytes); when both
/// `name` and `name.gz` exist, the plain one is read.
public enum MNISTFormat {
    /// The base names of the four files, without `.gz`.
    public static let trainingImagesFile = "train-images-idx3-ubyte"
    public static let trainingLabelsFile = "train-labels-idx1-ubyte"
    public static let testImagesFile = "t10k-images-idx3-ubyte"
    public static let testLabelsFile = "t10k-labels-idx1-ubyte"

    /// Reads the training and test sets of `directory`.
    ///
    /// Complexity: O(total size); for Fashion-MNIST about 55 MB of bytes become 220 MB of
    /// `Float` pixels.
    /// - Parameters:
    ///   - directory: the folder holding the four files.
    ///   - classNames: the name of each class; every label must be below their count.
    ///   - maximumDataBytes: the largest data size accepted per file (see ``IDXReader``).
    /// - Throws: ``DatasetError/dataSetNotFound(directory:missing:)`` when a file is missing
    ///   (the message suggests `make deps` or `--data DIR`), any IDX reading error of
    ///   ``IDXReader``, `.countMismatch` and `.labelOutOfRange`.
    public static func load(
        directory: String, classNames: [String],
        maximumDataBytes: Int = IDXReader.defaultMaximumDataBytes
    ) throws(DatasetError) -> ImageDataSet {
        let baseNames = [trainingImagesFile, trainingLabelsFile, testImagesFile, testLabelsFile]
        let paths = baseNames.map { locate($0, in: directory) }
        let missing = zip(baseNames, paths).filter { $0.1 == nil }.map { $0.0 + "[.gz]" }
        guard missing.isEmpty else {
            throw .dataSetNotFound(directory: directory, missing: missing)
        }
        let found = paths.compactMap { $0 }
        let training = try loadImages(
            imagesPath: found[0], labelsPath: found[1], classNames: classNames,
            maximumDataBytes: maximumDataBytes)
        let test = try loadImages(
            imagesPath: found[2], labelsPath: found[3], classNames: classNames,
            maximumDataBytes: maximumDataBytes)
        return ImageDataSet(training: training, test: test, directory: directory)
    }

    /// Reads one images file (3 dimensions) and its labels file (1 dimension).
    ///
    /// - Throws: any ``IDXReader`` error;
    ///   ``DatasetError/countMismatch(imagesPath:imageCount:labelsPath:labelCount:)`` and
    ///   ``DatasetError/labelOutOfRange(path:index:label:classCount:)``; `.invalidArgument` for
    ///   an empty list or more than 256 class names.
    public static func loadImages(
        imagesPath: String, labelsPath: String, classNames: [String],
        maximumDataBytes: Int = IDXReader.defaultMaximumDataBytes
    ) throws(DatasetError) -> LabeledImages {
        guard (1...256).contains(classNames.count) else {
            throw .invalidArgument(
                name: "classNames.count", value: String(classNames.count), allowed: "1…256")
        }
        let images = try IDXReader.readUnsignedBytes(
            contentsOf: imagesPath, dimensionCount: 3, maximumDataBytes: maximumDataBytes)
        let labels = try IDXReader.readUnsignedBytes(
            contentsOf: labelsPath, dimensionCount: 1, maximumDataBytes: maximumDataBytes)
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .countMismatch(
                imagesPath: imagesPath, imageCount: images.dimensions[0],
                labelsPath: labelsPath, labelCount: labels.dimensions[0])
        }
        if let bad = labels.elements.firstIndex(where: { Int($0) >= classNames.count }) {
            throw .labelOutOfRange(
                path: labelsPath, index: bad, label: Int(labels.elements[bad]),
                classCount: classNames.count)
        }
        return LabeledImages(
            checkedPixels: unitScaled(images.elements), labels: labels.elements,
            rows: images.dimensions[1], columns: images.dimensions[2], classNames: classNames)
    }

    /// The path of `baseName` or else `baseName.gz` in `directory`, if either is a file.
    public static func locate(_ baseName: String, in directory: String) -> String? {
        let plain = directory.hasSuffix("/") ? directory + baseName : directory + "/" + baseName
        return [plain, plain + ".gz"].first(where: isRegularFile)
    }

    /// `x / 255` for every byte, correctly rounded.
    private static func unitScaled(_ bytes: [UInt8]) -> [Float] {
        makeFloatArray(count: bytes.count) { destination in
            bytes.withUnsafeBufferPointer { source in
                for index in source.indices { destination[index] = Float(source[index]) / 255 }
            }
        }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}
