import Runtime

/// Why a safetensors file could not be read or written, or a tensor not made or converted.
///
/// Each case names the file (`file`: the path, or `<memory>` for bytes in memory) and the
/// tensor or field at fault; `description` is one line saying what is allowed.
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened (`errno` as `open(2)` set it).
    case cannotOpen(file: String, errno: Int32)
    /// The path names a directory, a device or a pipe, not a regular file.
    case notRegularFile(file: String)
    /// Reading the file failed (`errno` as `read(2)` set it).
    case readFailed(file: String, errno: Int32)
    /// Writing the file failed; the target was left as it was.
    case writeFailed(AtomicFileError)

    /// Fewer than the 8 bytes that hold the header length.
    case fileTooShort(file: String, byteCount: Int)
    /// The header length exceeds the limit (100 MB, as the reference library).
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header length runs past the end of the file.
    case headerBeyondFile(file: String, headerLength: UInt64, available: Int)
    /// The header is not valid UTF-8.
    case headerNotUTF8(file: String)
    /// The header does not start with `{` (it must be a JSON object).
    case headerNotObject(file: String)
    /// The header is not valid JSON; `offset` is the byte offset in the file.
    case malformedHeader(file: String, offset: Int, expected: String)
    /// A key appears twice in the same object (`object` is `header`, `__metadata__` or a tensor).
    case duplicateKey(file: String, object: String, key: String)

    /// A tensor's entry is not a JSON object.
    case invalidTensorEntry(file: String, tensor: String)
    /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(file: String, tensor: String, field: String)
    /// A tensor's entry has a field other than `dtype`, `shape` and `data_offsets`.
    case unexpectedField(file: String, tensor: String, field: String)
    /// A field has the wrong JSON type or an out-of-range value.
    case invalidField(file: String, tensor: String, field: String, expected: String)
    /// The dtype is not one of ``SafeTensors/DType``.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// The shape's element count, or its byte count, overflows `Int`.
    case sizeOverflow(file: String, tensor: String, shape: [Int])
    /// `data_offsets` is `[begin, end]` with `begin > end`.
    case reversedOffsets(file: String, tensor: String, begin: Int, end: Int)
    /// `data_offsets` ends past the byte buffer that follows the header.
    case offsetsOutOfRange(file: String, tensor: String, end: Int, bufferSize: Int)
    /// `end − begin` differs from the shape's element count times the dtype's size.
    case byteCountMismatch(
        file: String, tensor: String, dtype: SafeTensors.DType, shape: [Int], expected: Int,
        actual: Int)
    /// Two tensors share bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes between two tensors (or before the first) belong to no tensor.
    case gapBeforeTensor(file: String, tensor: String, begin: Int, expectedBegin: Int)
    /// Bytes after the last tensor belong to no tensor.
    case trailingBytes(file: String, covered: Int, bufferSize: Int)
    /// `__metadata__` is neither `null` nor an object of strings (`key` is nil when it is
    /// not an object).
    case invalidMetadata(file: String, key: String?)

    /// No tensor of that name in the file.
    case missingTensor(file: String, name: String)
    /// The tensor's dtype cannot be converted to the element type asked for.
    case unsupportedConversion(from: SafeTensors.DType, to: String)
    /// A shape with a negative entry, or whose size overflows `Int`.
    case invalidShape(shape: [Int])
    /// The data does not hold exactly the shape's element count.
    case sizeMismatch(dtype: SafeTensors.DType, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// `__metadata__` cannot name a tensor: the file would be unreadable.
    case reservedName(String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, code):
            "\(file): cannot open: \(systemMessage(code))"
        case let .notRegularFile(file):
            "\(file): not a regular file; give the path of a .safetensors file"
        case let .readFailed(file, code):
            "\(file): read failed: \(systemMessage(code))"
        case let .writeFailed(error):
            error.description
        case let .fileTooShort(file, byteCount):
            "\(file): \(byteCount) bytes; a safetensors file starts with an 8-byte header length"
        case let .headerTooLarge(file, length, limit):
            "\(file): header length \(length) exceeds the limit of \(limit) bytes"
        case let .headerBeyondFile(file, length, available):
            "\(file): header length \(length) runs past the end of the file (\(available) bytes follow the length)"
        case let .headerNotUTF8(file):
            "\(file): the header is not valid UTF-8"
        case let .headerNotObject(file):
            "\(file): the header must be a JSON object starting with '{'"
        case let .malformedHeader(file, offset, expected):
            "\(file): malformed JSON header at byte \(offset): expected \(expected)"
        case let .duplicateKey(file, object, key):
            "\(file): \(quoted(key)) appears twice in \(object == "header" ? "the header" : quoted(object)); each name must be unique"
        case let .invalidTensorEntry(file, tensor):
            "\(file): tensor \(quoted(tensor)): the entry must be an object with dtype, shape and data_offsets"
        case let .missingField(file, tensor, field):
            "\(file): tensor \(quoted(tensor)): missing field '\(field)'"
        case let .unexpectedField(file, tensor, field):
            "\(file): tensor \(quoted(tensor)): unexpected field \(quoted(field)); allowed: dtype, shape, data_offsets"
        case let .invalidField(file, tensor, field, expected):
            "\(file): tensor \(quoted(tensor)): '\(field)' must be \(expected)"
        case let .unsupportedDType(file, tensor, dtype):
            "\(file): tensor \(quoted(tensor)): unsupported dtype \(quoted(dtype)); supported: \(SafeTensors.DType.spellings)"
        case let .sizeOverflow(file, tensor, shape):
            "\(file): tensor \(quoted(tensor)): the size of shape \(shape) overflows a 64-bit count"
        case let .reversedOffsets(file, tensor, begin, end):
            "\(file): tensor \(quoted(tensor)): data_offsets [\(begin), \(end)] must have begin ≤ end"
        case let .offsetsOutOfRange(file, tensor, end, bufferSize):
            "\(file): tensor \(quoted(tensor)): data_offsets end \(end) is past the \(bufferSize)-byte buffer after the header"
        case let .byteCountMismatch(file, tensor, dtype, shape, expected, actual):
            "\(file): tensor \(quoted(tensor)): data_offsets span \(actual) bytes but \(dtype.rawValue) of shape \(shape) needs \(expected)"
        case let .overlappingTensors(file, first, second):
            "\(file): tensors \(quoted(first)) and \(quoted(second)) overlap; each byte must belong to one tensor"
        case let .gapBeforeTensor(file, tensor, begin, expectedBegin):
            "\(file): tensor \(quoted(tensor)) begins at byte \(begin) of the buffer but the tensors before it end at \(expectedBegin); the tensors must cover the buffer with no gap"
        case let .trailingBytes(file, covered, bufferSize):
            "\(file): the tensors cover \(covered) of the \(bufferSize) bytes after the header; they must cover all of them"
        case let .invalidMetadata(file, key?):
            "\(file): __metadata__ value of \(quoted(key)) must be a string"
        case let .invalidMetadata(file, nil):
            "\(file): __metadata__ must be an object whose values are strings (or null)"
        case let .missingTensor(file, name):
            "\(file): no tensor named \(quoted(name))"
        case let .unsupportedConversion(dtype, target):
            "cannot convert a \(dtype.rawValue) tensor to \(target)"
        case let .invalidShape(shape):
            "invalid shape \(shape): entries must be ≥ 0 and their product must fit in Int"
        case let .sizeMismatch(dtype, shape, expectedBytes, actualBytes):
            "a \(dtype.rawValue) tensor of shape \(shape) needs \(expectedBytes) bytes, got \(actualBytes)"
        case let .reservedName(name):
            "\(quoted(name)) is reserved for the file's metadata and cannot name a tensor"
        }
    }
}

/// A name in single quotes on one line: control characters escaped, long names shortened.
func quoted(_ name: String) -> String {
    let limit = 120
    var text = ""
    for (index, scalar) in name.unicodeScalars.enumerated() {
        if index == limit {
            text += "…"
            break
        }
        text += scalar.value < 0x20 || scalar.value == 0x7F
            ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return "'\(text)'"
}
