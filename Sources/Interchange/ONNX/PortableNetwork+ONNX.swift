extension PortableNetwork {
    /// Reads an ONNX model held in memory.
    ///
    /// The graph must be a chain from one input `[batch, features…]` to one output: Gemm, or
    /// MatMul with an optional bias Add, Relu, LeakyRelu, PRelu, Softplus (and
    /// Mul → Softplus → Div for β ≠ 1), Sigmoid, Tanh, Abs, Identity, a final Softmax, and
    /// Flatten or Reshape to make the input flat; parameters in initializers or `Constant`
    /// nodes, `FLOAT` or `DOUBLE` as the input; ai.onnx opset 13 to 28
    /// (``supportedOpsets``). Gemm's α and β are folded into the weights and bias, and
    /// `transB = 0` weights are transposed to `[out, in]`. A LeakyRelu's `alpha` (a 32-bit
    /// attribute) is read as the shortest decimal that rounds to it (0.01, not
    /// 0.009999999776). Softplus becomes PyTorch's default (threshold 20): in `Float` that
    /// is the same function (exp(−20) is less than half an ulp of 20), in `Double` it differs
    /// by less than exp(−20) ≈ 2.1e−9 above the threshold.
    ///
    /// - Parameters:
    ///   - source: how messages name the bytes (a path, or `<memory>`).
    /// - Complexity: O(file size + parameter count); memory is bounded by a small multiple
    ///   of the file size, whatever the file claims.
    /// - Throws: ``ONNXError``, one case per way the model is malformed or unsupported.
    public init(onnx bytes: [UInt8], source: String = "<memory>") throws(ONNXError) {
        self = try ModelReader.read(bytes, file: source)
    }

    /// Reads the ONNX model at `path`; as ``init(onnx:source:)``.
    /// - Throws: ``ONNXError/cannotOpen(file:errno:)``, ``ONNXError/notRegularFile(file:)``,
    ///   ``ONNXError/readFailed(file:errno:)``, then as ``init(onnx:source:)``.
    public init(contentsOfONNXFile path: String) throws(ONNXError) {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            switch error {
            case let .cannotOpen(file, code): throw .cannotOpen(file: file, errno: code)
            case let .readFailed(file, code): throw .readFailed(file: file, errno: code)
            default: throw .notRegularFile(file: path)
            }
        }
        try self.init(onnx: bytes, source: path)
    }
}
