/// Reads `.npy` feature arrays and `.npz` archives of `x` and `y` (see ``DataReader``).
///
/// A stored `.npz` entry (what `numpy.savez` writes) is read straight from the file into the
/// destination in 1 Mi-element chunks, each CRC-checked while it is in cache; a deflated one
/// (`numpy.savez_compressed`) is inflated by zlib into memory first, then read the same way.
enum NumPyReader {
    static func read(_ path: String, format: DataFormat, options: DataReader) throws(DatasetError) -> (Examples, Examples?) {
        if format == .npy {
            let file = try FileByteSource(path: path)
            let region = ByteRegion(name: path, file: file, start: 0, length: file.knownSize ?? 0, expectedCRC: nil)
            return (try examples(x: NPYArray(region), y: nil, options: options), nil)
        }
        let archive = try ZipArchive(path: path)
        let names = Set(archive.entries.map(\.name))
        let (xName, yName) = names.contains("x.npy") || !names.contains("x_train.npy") ? ("x", "y") : ("x_train", "y_train")
        func array(_ name: String) throws(DatasetError) -> NPYArray? {
            guard let entry = archive.entries.first(where: { $0.name == name + ".npy" }) else { return nil }
            return try NPYArray(region(entry, in: archive, name: "\(path): \(name)"))
        }
        guard let x = try array(xName) else {
            throw .badData(path: path, reason: "no array '\(xName)' (arrays: \(archive.entries.map { $0.name.replacingSuffix(".npy") }.sorted().joined(separator: ", ")))")
        }
        let y = options.featuresOnly ? nil : try array(yName)
        guard options.featuresOnly || y != nil else { throw .badData(path: path, reason: "no array '\(yName)' of labels beside '\(xName)'") }
        let examples = try examples(x: x, y: y, options: options)
        guard xName == "x_train", let testX = try array("x_test") else { return (examples, nil) }
        var testOptions = options
        testOptions.classNames = examples.classNames ?? options.classNames
        return (examples, try self.examples(x: testX, y: options.featuresOnly ? nil : try array("y_test"), options: testOptions))
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
            return ByteRegion(name: name, memory: try inflate(archive.file, start: start, entry: entry, name: name), expectedCRC: entry.crc)
        default:
            throw .badData(path: name, reason: "compression method \(entry.method) is not supported (stored or deflated only)")
        }
    }

    private static func inflate(_ file: FileByteSource, start: Int, entry: ZipArchive.Entry, name: String) throws(DatasetError) -> [UInt8] {
        try requireMemory(entry.size, for: "\(name): \(entry.size) bytes inflated")
        let inflater = try GzipInflater(path: name, windowBits: -15)
        var output = [UInt8](repeating: 0, count: entry.size)
        var input = [UInt8](repeating: 0, count: min(entry.compressedSize, 1 << 20))
        var consumed = 0, produced = 0
        while entry.size > 0 {
            let count = min(input.count, entry.compressedSize - consumed)
            try input.withMutableBytes { buffer throws(DatasetError) in
                try file.read(at: start + consumed, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
            }
            var offset = 0, status: Int32 = 0, progressed = true
            repeat {
                let step = input.withUnsafeBytes { source in
                    output.withUnsafeMutableBytes { destination in
                        inflater.inflate(
                            input: UnsafeRawBufferPointer(rebasing: source[offset..<count]),
                            output: UnsafeMutableRawBufferPointer(rebasing: destination[produced...]))
                    }
                }
                offset += step.consumed
                produced += step.produced
                status = step.status
                progressed = step.consumed > 0 || step.produced > 0
            } while status == 0 && progressed && offset < count
            if status == 1 { break }  // Z_STREAM_END
            guard status == 0 || status == -5 else {  // Z_OK, Z_BUF_ERROR: no progress possible yet
                throw .badData(path: name, reason: "corrupt deflate data (\(inflater.explain(status)))")
            }
            consumed += offset
            guard consumed < entry.compressedSize, progressed else {
                throw .badData(path: name, reason: produced == entry.size
                    ? "inflates to more than the \(entry.size) bytes the archive declares"
                    : "the deflate data ends early (\(produced) of \(entry.size) bytes)")
            }
        }
        guard produced == entry.size else {
            throw .badData(path: name, reason: "inflates to \(produced) bytes; the archive declares \(entry.size)")
        }
        return output
    }

    /// Examples from `x` and, unless features only, `y`.
    /// The features array of a `.npy` file, its header read and its shape checked; the data
    /// is left for the caller to read.
    static func featureArray(_ path: String) throws(DatasetError) -> NPYArray {
        let file = try FileByteSource(path: path)
        let array = try NPYArray(ByteRegion(name: path, file: file, start: 0, length: file.knownSize ?? 0, expectedCRC: nil))
        try checkFeatureShape(array)
        return array
    }

    private static func checkFeatureShape(_ x: NPYArray) throws(DatasetError) {
        guard (2...4).contains(x.shape.count), x.shape[0] >= 1, x.shape.dropFirst().allSatisfy({ $0 >= 1 }) else {
            throw .badData(path: x.region.name, reason: "shape \(x.shape); expected N×D, N×H×W or N×C×H×W with every size ≥ 1")
        }
    }

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
