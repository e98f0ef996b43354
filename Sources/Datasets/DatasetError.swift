import Runtime

/// Why a data set could not be read, split or generated.
///
/// Every message is one line that names the file, directory or parameter and says what is
/// allowed, so a command-line tool can print it as it is.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case missingFile(path: String)
    /// The file exists but cannot be opened or read (permissions, a directory, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile(path: String)
    /// The first two bytes are not the IDX magic `00 00` (nor gzip's `1f 8b`).
    case badMagic(path: String, found: [UInt8])
    /// The IDX type code is not `0x08` (unsigned byte), the only element type read here.
    case unsupportedType(path: String, typeCode: UInt8)
    /// The header declares a different number of dimensions than the file's role needs
    /// (3 for images, 1 for labels).
    case wrongDimensionCount(path: String, found: Int, expected: Int)
    /// A dimension is zero, or their product overflows or exceeds the size limit.
    case dimensionsOutOfRange(path: String, dimensions: [UInt32], maximumDataBytes: Int)
    /// The (decompressed) file ends before the header or the data it declares is complete.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The (decompressed) file goes on after the data its header declares.
    case trailingData(path: String, expectedBytes: Int)
    /// The file starts like gzip but its compressed stream is damaged or cut short.
    case corruptGzip(path: String, reason: String)
    /// An images file and its labels file hold different numbers of samples.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// A label is not below the number of classes.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// A directory lacks some of the four MNIST-format files.
    case dataSetNotFound(directory: String, missing: [String])
    /// A parameter (a length, a count, a fraction, an index) is outside its allowed range.
    case invalidArgument(name: String, value: String, allowed: String)
    /// A data file (CSV, NumPy, zip, PNG) or folder holds something the readers refuse; the
    /// reason names the line and column, the array or the image.
    case badData(path: String, reason: String)
    /// Reading the data would need more memory than the machine has available.
    case insufficientMemory(MemoryError)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): no such file"
        case let .unreadableFile(path, reason):
            return "\(path): cannot read the file (\(reason))"
        case let .emptyFile(path):
            return "\(path): the file is empty; expected an IDX file (MNIST format)"
        case let .badMagic(path, found):
            let hex = found.map { byte in hexByte(byte) }.joined(separator: " ")
            return "\(path): not an IDX file (starts with \(hex); expected 00 00, "
                + "or 1f 8b for gzip)"
        case let .unsupportedType(path, typeCode):
            return "\(path): IDX type code \(hexByte(typeCode)) (\(typeName(typeCode))) is not "
                + "supported; expected 08 (unsigned byte)"
        case let .wrongDimensionCount(path, found, expected):
            return "\(path): the IDX header declares \(found) dimensions; expected \(expected)"
        case let .dimensionsOutOfRange(path, dimensions, maximumDataBytes):
            let shape = dimensions.map(String.init).joined(separator: "×")
            return "\(path): IDX dimensions \(shape) are not allowed (each must be ≥ 1 and "
                + "the data at most \(maximumDataBytes) bytes)"
        case let .truncated(path, expectedBytes, foundBytes):
            return "\(path): truncated: \(foundBytes) bytes where the header needs "
                + "\(expectedBytes)"
        case let .trailingData(path, expectedBytes):
            return "\(path): unexpected data after the \(expectedBytes) bytes the header declares"
        case let .corruptGzip(path, reason):
            return "\(path): corrupt gzip stream (\(reason))"
        case let .countMismatch(imagesPath, imageCount, labelsPath, labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds "
                + "\(labelCount) labels; they must match"
        case let .labelOutOfRange(path, index, label, classCount):
            return "\(path): label \(label) at index \(index) is out of range; expected "
                + "0…\(classCount - 1)"
        case let .dataSetNotFound(directory, missing):
            return "no MNIST-format data set in \(directory) (missing "
                + "\(missing.joined(separator: ", "))); run `make deps` to install "
                + "Fashion-MNIST, or pass --data DIR"
        case let .invalidArgument(name, value, allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        case let .badData(path, reason):
            return "\(path): \(reason)"
        case let .insufficientMemory(error):
            return error.description
        }
    }
}

private func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
}

/// The element types the IDX format defines, for messages.
private func typeName(_ typeCode: UInt8) -> String {
    switch typeCode {
    case 0x08: return "unsigned byte"
    case 0x09: return "signed byte"
    case 0x0B: return "int16"
    case 0x0C: return "int32"
    case 0x0D: return "float32"
    case 0x0E: return "float64"
    default: return "not an IDX type"
    }
}
