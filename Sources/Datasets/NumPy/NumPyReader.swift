/// Reads `.npy` feature arrays and `.npz` archives of `x` and `y` (see ``DataReader``).
///
/// A stored `.npz` entry (what `numpy.savez` writes) is read straight from the file into the
/// destination in 1 Mi-element chunks, each CRC-checked while it is in cache; a deflated one
/// (`numpy.savez_compressed`) is inflated by zlib on the way, 64 KiB of input at a time.
enum NumPyReader {
    static func read(_ path: String, format: DataFormat, options: DataReader) throws(DatasetError) -> (Examples, Examples?) {
        if format == .npy { return (try examples(x: featureArray(path, format: format), y: nil, options: options), nil) }
        let archive = try Archive(path: path)
        let x = try archive.features()
        let y = options.featuresOnly ? nil : try archive.array(archive.yName)
        guard options.featuresOnly || y != nil else { throw .badData(path: path, reason: "no array '\(archive.yName)' of labels beside '\(archive.xName)'") }
        let examples = try examples(x: x, y: y, options: options)
        guard archive.xName == "x_train", let testX = try archive.array("x_test") else { return (examples, nil) }
        var testOptions = options
        testOptions.classNames = examples.classNames ?? options.classNames
        return (examples, try self.examples(x: testX, y: options.featuresOnly ? nil : try archive.array("y_test"), options: testOptions))
    }

    /// The features array of a `.npy` file, or of a `.npz` archive (`x`, else `x_train`), its
    /// header read and its shape checked; the data is left for the caller to read.
    static func featureArray(_ path: String, format: DataFormat) throws(DatasetError) -> NPYArray {
        let array: NPYArray
        if format == .npy {
            let file = try FileByteSource(path: path)
            array = try NPYArray(ByteRegion(name: path, file: file, start: 0, length: file.knownSize ?? 0, expectedCRC: nil))
        } else {
            array = try Archive(path: path).features()
        }
        try checkFeatureShape(array)
        return array
    }

    /// An `.npz` archive's arrays: `x` and `y`, or Keras' `x_train`, `y_train`, `x_test`, `y_test`.
    private struct Archive {
        let path: String
        let archive: ZipArchive
        let xName: String, yName: String

        init(path: String) throws(DatasetError) {
            self.path = path
            archive = try ZipArchive(path: path)
            let names = Set(archive.entries.map(\.name))
            (xName, yName) = names.contains("x.npy") || !names.contains("x_train.npy") ? ("x", "y") : ("x_train", "y_train")
        }

        func array(_ name: String) throws(DatasetError) -> NPYArray? {
            guard let entry = archive.entries.first(where: { $0.name == name + ".npy" }) else { return nil }
            return try NPYArray(NumPyReader.region(entry, in: archive, name: "\(path): \(name)"))
        }

        func features() throws(DatasetError) -> NPYArray {
            guard let x = try array(xName) else {
                throw .badData(path: path, reason: "no array '\(xName)' (arrays: \(archive.entries.map { $0.name.replacingSuffix(".npy") }.sorted().joined(separator: ", ")))")
            }
            return x
        }
    }

    private static func region(_ entry: ZipArchive.Entry, in archive: ZipArchive, name: String) throws(DatasetError) -> ByteRegion {
        let start = try archive.dataOffset(of: entry)
        switch entry.method {
        case 0:
            guard entry.size == entry.compressedSize else {
                throw .badData(path: name, reason: "a stored entry of \(entry.compressedSize) bytes declares \(entry.size)")
            }
            return ByteRegion(name: name, file: archive.file, start: start, length: entry.size, expectedCRC: entry.crc)
        case 8:
            // Deflate expands at most 1032:1, so a larger declared size is a lie.
            guard entry.size / 1032 <= entry.compressedSize else {
                throw .badData(path: name, reason: "declares \(entry.size) bytes from \(entry.compressedSize) compressed")
            }
            return try ByteRegion(
                name: name, file: archive.file, start: start, compressedLength: entry.compressedSize, length: entry.size, expectedCRC: entry.crc)
        default:
            throw .badData(path: name, reason: "compression method \(entry.method) is not supported (stored or deflated only)")
        }
    }

    private static func checkFeatureShape(_ x: NPYArray) throws(DatasetError) {
        guard (2...4).contains(x.shape.count), x.shape[0] >= 1, x.shape.dropFirst().allSatisfy({ $0 >= 1 }) else {
            throw .badData(path: x.region.name, reason: "shape \(x.shape); expected N×D, N×H×W or N×C×H×W with every size ≥ 1")
        }
    }

    /// Examples from `x` and, unless features only, `y`.
    private static func examples(x: NPYArray, y: NPYArray?, options: DataReader) throws(DatasetError) -> Examples {
        try checkFeatureShape(x)
        var targets = Examples.Targets.none
        if let y {
            guard y.shape == [x.shape[0]] || y.shape == [x.shape[0], 1] else {
                throw .badData(path: y.region.name, reason: "shape \(y.shape) does not match x's \(x.shape[0]) examples; expected (\(x.shape[0]),)")
            }
            let column = "the labels"
            switch (try y.labels(), options.task) {
            case let (.integers(labels), .classification):
                targets = try classTargets(labels, name: { String($0) }, given: options.classNames, path: y.region.name, column: column)
            case let (.strings(labels), .classification):
                targets = try classTargets(labels, name: { $0 }, given: options.classNames, path: y.region.name, column: column)
            case (.numbers, .classification):
                throw .badData(path: y.region.name, reason: "labels are fractional numbers; use integers or strings, or the regression task")
            case let (.integers(labels), .regression):
                targets = .values(labels.map(Float.init))
            case let (.numbers(values), .regression):
                targets = .values(values.map(Float.init))
            case (.strings, .regression):
                throw .badData(path: y.region.name, reason: "regression needs numeric targets; y holds strings")
            }
        }
        return Examples(checked: try x.features(), shape: Array(x.shape.dropFirst()), targets: targets)
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
