import Runtime

/// Why an ONNX file could not be read or written, or an ``ONNXModel`` not made.
///
/// Each case names the file (`file`: the path, or `<memory>` for bytes in memory) and the
/// node, value or tensor at fault; `description` is one line saying what is allowed. Nodes
/// are named by their `name`, or by their position and operator when they have none
/// (`#3 (Relu)`).
public enum ONNXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened (`errno` as `open(2)` set it).
    case cannotOpen(file: String, errno: Int32)
    /// The path names a directory, a device or a pipe, not a regular file.
    case notRegularFile(file: String)
    /// Reading the file failed (`errno` as `read(2)` set it).
    case readFailed(file: String, errno: Int32)
    /// The file is larger than protobuf's 2 GiB limit.
    case fileTooLarge(file: String, byteCount: Int)
    /// Writing the file failed; the target was left as it was.
    case writeFailed(AtomicFileError)

    /// The bytes are not a serialized `ModelProto`; `detail` is the decoder's reason.
    case malformedProtobuf(file: String, detail: String)
    /// The model imports no ai.onnx operator set, imports it twice, or imports a version
    /// outside ``ONNXModel/supportedOpsets``.
    case unsupportedOpset(file: String, version: Int64?, detail: String)
    /// The model has no graph, no input or output, or a name used twice.
    case invalidGraph(file: String, detail: String)
    /// A node's operator is not one this reader maps to a layer, or appears where it cannot
    /// be mapped (`detail` says which use is supported).
    case unsupportedOperator(file: String, operator: String, node: String, detail: String)
    /// A node's input names no initializer, `Constant` output or earlier value.
    case missingInitializer(file: String, name: String, node: String)
    /// The nodes do not form one chain from the graph input to its output.
    case notAChain(file: String, detail: String)
    /// A shape that does not fit: weights against the width they meet, a bias, PReLU slopes,
    /// a reshape target, the graph input.
    case shapeMismatch(file: String, node: String, detail: String)
    /// A tensor or value whose element type is not the one the model needs.
    case unsupportedDataType(file: String, name: String, dataType: Int32, expected: String)
    /// A tensor whose stored form is not supported or does not match its shape (external
    /// data, segments, sparse tensors, a byte count that disagrees with the dimensions).
    case invalidTensor(file: String, name: String, detail: String)
    /// A NaN or infinite parameter (`index` is the element's position, row-major).
    case nonFiniteValue(file: String, name: String, index: Int)
    /// An attribute that the operator does not have, or has with another type.
    case unsupportedAttribute(file: String, node: String, attribute: String, detail: String)
    /// An attribute with a value outside what is supported (e.g. Gemm's `transA = 1`).
    case invalidAttribute(file: String, node: String, attribute: String, detail: String)
    /// An ``ONNXModel`` that cannot be made: a parameter or activation value.
    case invalidNetwork(detail: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, code):
            "\(file): cannot open: \(systemMessage(code))"
        case let .notRegularFile(file):
            "\(file): not a regular file; give the path of a .onnx file"
        case let .readFailed(file, code):
            "\(file): read failed: \(systemMessage(code))"
        case let .fileTooLarge(file, byteCount):
            "\(file): \(byteCount) bytes exceeds protobuf's 2 GiB limit; models with external data are not supported"
        case let .writeFailed(error):
            error.description
        case let .malformedProtobuf(file, detail):
            "\(file): not an ONNX model: malformed protobuf (\(detail))"
        case let .unsupportedOpset(file, version?, detail):
            "\(file): unsupported ai.onnx opset \(version): \(detail)"
        case let .unsupportedOpset(file, nil, detail):
            "\(file): \(detail)"
        case let .invalidGraph(file, detail):
            "\(file): invalid graph: \(detail)"
        case let .unsupportedOperator(file, op, node, detail):
            "\(file): unsupported operator \(quoted(op)) at node \(node)\(detail.isEmpty ? "" : "; \(detail)")"
        case let .missingInitializer(file, name, node):
            "\(file): node \(node) reads \(quoted(name)), which is no initializer, Constant or earlier output"
        case let .notAChain(file, detail):
            "\(file): not a feed-forward chain: \(detail)"
        case let .shapeMismatch(file, node, detail):
            "\(file): shape mismatch at \(node): \(detail)"
        case let .unsupportedDataType(file, name, dataType, expected):
            "\(file): \(quoted(name)) has data type \(dataTypeName(dataType)); expected \(expected)"
        case let .invalidTensor(file, name, detail):
            "\(file): tensor \(quoted(name)): \(detail)"
        case let .nonFiniteValue(file, name, index):
            "\(file): tensor \(quoted(name)) holds a NaN or infinite value at element \(index); parameters must be finite"
        case let .unsupportedAttribute(file, node, attribute, detail):
            "\(file): node \(node): attribute \(quoted(attribute)) \(detail)"
        case let .invalidAttribute(file, node, attribute, detail):
            "\(file): node \(node): attribute \(quoted(attribute)) \(detail)"
        case let .invalidNetwork(detail):
            "invalid network: \(detail)"
        }
    }
}

/// The ONNX name of a `TensorProto.DataType` number, e.g. `FLOAT16 (10)`.
func dataTypeName(_ dataType: Int32) -> String {
    guard let known = Onnx_TensorProto.DataType(rawValue: Int(dataType)) else {
        return "\(dataType) (unknown)"
    }
    return "\(String(describing: known).uppercased()) (\(dataType))"
}
