/// One named tensor inside a model's flat parameter buffer.
///
/// Names follow PyTorch's `state_dict` (`layers.0.weight`, `layers.0.bias`,
/// `layers.1.slopes`), so a checkpoint or an ONNX initialiser maps one to one.
public struct ParameterInfo: Hashable, Sendable, Codable {
    /// The stable name, e.g. `layers.2.weight`.
    public let name: String
    /// The shape, outermost first: `[out, in]` for a Dense weight (row-major), `[out]` for a
    /// bias, `[units]` or `[1]` for PReLU slopes.
    public let shape: [Int]
    /// Where the tensor starts in the flat buffer, in scalars.
    public let offset: Int
    /// Whether weight decay applies to it (PReLU slopes: no, by default).
    public let weightDecay: Bool
    /// Whether the optimiser updates it; false for values a layer maintains itself (batch
    /// norm's running statistics, PyTorch's buffers), which keep a zero gradient.
    public let trainable: Bool

    /// The number of scalars, the product of ``shape``.
    public var count: Int { shape.reduce(1, *) }

    /// The tensor's range in the flat buffer.
    public var range: Range<Int> { offset..<offset + count }

    private enum CodingKeys: String, CodingKey { case name, shape, offset, weightDecay, trainable }

    init(name: String, shape: [Int], offset: Int, weightDecay: Bool, trainable: Bool) {
        (self.name, self.shape, self.offset, self.weightDecay, self.trainable) = (name, shape, offset, weightDecay, trainable)
    }

    /// Decodes; `trainable` defaults to true when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        shape = try container.decode([Int].self, forKey: .shape)
        offset = try container.decode(Int.self, forKey: .offset)
        weightDecay = try container.decode(Bool.self, forKey: .weightDecay)
        trainable = try container.decodeIfPresent(Bool.self, forKey: .trainable) ?? true
    }
}

/// The table of a model's parameters, in memory order, and their total size: the map from
/// names to places in the one flat buffer (llm.c's "table of sizes").
public struct ParameterLayout: Hashable, Sendable, Codable {
    /// Every parameter tensor, in buffer order, back to back.
    public private(set) var parameters: [ParameterInfo] = []
    /// The total number of scalars.
    public private(set) var count = 0

    /// An empty layout; ``append(name:shape:weightDecay:)`` adds tensors.
    public init() {}

    /// Appends a tensor after the last one and returns its place. Used by models to lay
    /// out their parameters (a recurrent layer, a custom stack).
    @discardableResult
    public mutating func append(name: String, shape: [Int], weightDecay: Bool, trainable: Bool = true) -> ParameterInfo {
        let info = ParameterInfo(name: name, shape: shape, offset: count, weightDecay: weightDecay, trainable: trainable)
        parameters.append(info)
        count += info.count
        return info
    }

    /// The tensor called `name`.
    /// - Throws: ``NetworkError/unknownParameter(_:)``.
    public func parameter(named name: String) throws(NetworkError) -> ParameterInfo {
        guard let info = parameters.first(where: { $0.name == name }) else {
            throw .unknownParameter(name)
        }
        return info
    }
}
