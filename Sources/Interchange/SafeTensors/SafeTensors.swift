import Runtime

/// The content of a safetensors file: named tensors and string metadata.
///
/// ```
/// [8 bytes: N, little-endian] [N bytes: JSON header, space-padded] [the tensors' bytes]
/// header: {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3],
///          "data_offsets": [begin, end]}, …}
/// ```
/// Reading checks the whole layout and throws one ``SafeTensorsError`` per violation;
/// writing produces the same bytes as the reference Python library for the same content
/// (see ``serialized()``) and replaces files atomically.
///
/// ```swift
/// var checkpoint = SafeTensors(metadata: ["format": "pt"])
/// checkpoint.tensors["layer.weight"] = try .init(weights, shape: [128, 784])
/// try checkpoint.write(to: "model.safetensors")
/// let weights = try SafeTensors(contentsOf: "model.safetensors")
///     .tensor(named: "layer.weight").floats()
/// ```
public struct SafeTensors: Equatable, Sendable {
    /// The tensors by name. Names are any strings except `__metadata__`.
    public var tensors: [String: Tensor]
    /// Free-form text metadata; the format allows only string values.
    public var metadata: [String: String]
    /// Where the content came from, for error messages: the path read, or `<memory>`.
    public var source: String

    /// Content made in memory.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
        self.source = "<memory>"
    }

    /// Reads and checks the file at `path`. The file is read once into one buffer, which
    /// the tensors share.
    ///
    /// - Complexity: O(file size) to read, O(header length + t log t) to check t tensors.
    /// - Throws: ``SafeTensorsError`` naming the file and the tensor or field at fault.
    public init(contentsOf path: String) throws(SafeTensorsError) {
        try self.init(serialized: FileContents.read(path), source: path)
    }

    /// Reads and checks the bytes of a safetensors file, which the tensors then share.
    ///
    /// - Parameter source: the name used in error messages.
    /// - Throws: ``SafeTensorsError`` naming `source` and the tensor or field at fault.
    public init(serialized bytes: [UInt8], source: String = "<memory>") throws(SafeTensorsError) {
        (tensors, metadata) = try SafeTensorsReader.read(bytes, file: source)
        self.source = source
    }

    /// The tensor called `name`.
    ///
    /// - Throws: ``SafeTensorsError/missingTensor(file:name:)``.
    public func tensor(named name: String) throws(SafeTensorsError) -> Tensor {
        guard let tensor = tensors[name] else { throw .missingTensor(file: source, name: name) }
        return tensor
    }

    /// The file's bytes, identical to what the Python `safetensors` library writes for the
    /// same tensors and metadata (its metadata key order varies between runs; ours is
    /// sorted, so files with at most one metadata key match exactly).
    ///
    /// - Complexity: O(total bytes + t log t).
    /// - Throws: ``SafeTensorsError/reservedName(_:)`` for a tensor called `__metadata__`.
    public func serialized() throws(SafeTensorsError) -> [UInt8] {
        guard tensors["__metadata__"] == nil else { throw .reservedName("__metadata__") }
        return SafeTensorsWriter.serialize(tensors: tensors, metadata: metadata)
    }

    /// Writes the file atomically (see ``AtomicFile``): `path` holds either its previous
    /// content or the complete new file, whatever happens.
    ///
    /// - Throws: ``SafeTensorsError/writeFailed(_:)`` wrapping the ``AtomicFileError``,
    ///   or ``SafeTensorsError/reservedName(_:)``.
    public func write(to path: String) throws(SafeTensorsError) {
        let bytes = try serialized()
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .writeFailed(error)
        }
    }

    /// Equal tensors and metadata; the source is not compared.
    public static func == (lhs: SafeTensors, rhs: SafeTensors) -> Bool {
        lhs.tensors == rhs.tensors && lhs.metadata == rhs.metadata
    }
}
