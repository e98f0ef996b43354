import Activations
import Runtime

/// Why a model file could not be written or read. Every message is one line naming the file
/// and the tensor or metadata key at fault, and what is allowed.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The safetensors layer refused the file (unreadable, malformed, or the write failed).
    case safeTensors(SafeTensorsError)
    /// A required metadata key is absent (`rectifier.format`, `rectifier.architecture`).
    case missingMetadata(file: String, key: String)
    /// A metadata value cannot be used: `detail` says what is wrong and what is allowed.
    case invalidMetadata(file: String, key: String, detail: String)
    /// The metadata asked to be saved uses a key the file format reserves.
    case reservedMetadataKey(key: String)
    /// A tensor the architecture or the training state needs is absent.
    case missingTensor(file: String, tensor: String)
    /// A tensor belongs to neither the model nor its training state.
    case unexpectedTensor(file: String, tensor: String)
    /// A tensor's element type is not allowed for it.
    case wrongDType(file: String, tensor: String, dtype: String, allowed: String)
    /// A tensor's shape differs from the one the architecture gives.
    case wrongShape(file: String, tensor: String, shape: [Int], expected: [Int])
    /// A parameter or optimiser value is NaN or infinite.
    case nonFiniteValue(file: String, tensor: String, index: Int)
    /// The saved data order is not a permutation of the training samples.
    case invalidDataOrder(file: String, detail: String)
    /// The training state given to save does not fit the model.
    case stateMismatch(detail: String)
    /// The model the file describes needs more memory than the machine has available.
    case insufficientMemory(MemoryError)

    public var description: String {
        switch self {
        case let .safeTensors(error):
            return error.description
        case let .missingMetadata(file, key):
            return "\(file): not a Rectifier model file: metadata key '\(key)' is missing"
        case let .invalidMetadata(file, key, detail):
            return "\(file): metadata '\(key)': \(detail)"
        case let .reservedMetadataKey(key):
            return "metadata key '\(key)' is reserved by the model file format; choose a key outside 'rectifier.'"
        case let .missingTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case let .unexpectedTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is not part of this model or its training state"
        case let .wrongDType(file, tensor, dtype, allowed):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); allowed: \(allowed)"
        case let .wrongShape(file, tensor, shape, expected):
            return "\(file): tensor '\(tensor)' has shape \(shape); the architecture needs \(expected)"
        case let .nonFiniteValue(file, tensor, index):
            return "\(file): tensor '\(tensor)' holds NaN or an infinity at element \(index)"
        case let .invalidDataOrder(file, detail):
            return "\(file): tensor '\(ModelFile.dataOrderTensor)': \(detail)"
        case let .stateMismatch(detail):
            return "cannot save the training state: \(detail)"
        case let .insufficientMemory(error):
            return error.description
        }
    }
}

extension ModelFileError {
    /// `body`'s value; its error wrapped as ``safeTensors(_:)``.
    static func fromSafeTensors<T>(_ body: () throws(SafeTensorsError) -> T) throws(ModelFileError) -> T {
        do { return try body() } catch { throw .safeTensors(error) }
    }
}
