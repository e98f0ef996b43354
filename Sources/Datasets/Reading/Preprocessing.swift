/// The input scaling a model applies before its first layer, stored with the model:
/// `x′ = (x − offset[j]) / scale[j]` for feature j (one `offset` and `scale` broadcast to
/// every feature when they hold one value), in `Float`, subtraction then division, so an ONNX
/// graph's Sub and Div nodes reproduce it bit for bit.
public struct Preprocessing: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The values as read.
        case none
        /// Pixels 0…255 to [0, 1]: `x / 255`, correctly rounded.
        case scale255
        /// Per feature, the mean and standard deviation of the training split (population,
        /// as scikit-learn's `StandardScaler`; a constant feature gets scale 1).
        case standardize
    }

    public let kind: Kind
    public let offset: [Float]
    public let scale: [Float]

    /// The default for a format: images scale by 255, tables and arrays standardise.
    public static func defaultKind(for format: DataFormat) -> Kind {
        format == .mnist || format == .imageFolder ? .scale255 : .standardize
    }

    /// Pixels 0…255 to [0, 1], whatever the width.
    public static let scale255 = Preprocessing(kind: .scale255, offset: [0], scale: [255])
    /// The values as read.
    public static let none = Preprocessing(kind: .none, offset: [0], scale: [1])

    private init(kind: Kind, offset: [Float], scale: [Float]) {
        (self.kind, self.offset, self.scale) = (kind, offset, scale)
    }

    /// Whether the stored vectors fit `featureCount` features: one or `featureCount` values
    /// each, offsets finite, scales finite and non-zero.
    public func fits(featureCount: Int) -> Bool {
        offset.count == scale.count && (offset.count == 1 || offset.count == featureCount) && featureCount >= 1
            && scale.allSatisfy({ $0.isFinite && $0 != 0 }) && offset.allSatisfy(\.isFinite)
    }

    /// `kind` fitted to `training` (the mean and standard deviation are computed in `Double`).
    public init(_ kind: Kind, fittedTo training: Examples) {
        self.kind = kind
        switch kind {
        case .none:
            (offset, scale) = ([0], [1])
        case .scale255:
            (offset, scale) = ([0], [255])
        case .standardize:
            let width = training.featureCount
            var sum = [Double](repeating: 0, count: width), squares = sum, mean = sum
            training.features.withUnsafeBufferPointer { values in
                for row in 0..<training.count {
                    for column in 0..<width { sum[column] += Double(values[row * width + column]) }
                }
                mean = sum.map { $0 / Double(max(training.count, 1)) }
                for row in 0..<training.count {
                    for column in 0..<width {
                        let deviation = Double(values[row * width + column]) - mean[column]
                        squares[column] += deviation * deviation
                    }
                }
            }
            offset = mean.map { Float($0) }
            scale = squares.map { squares in
                let deviation = Float((squares / Double(max(training.count, 1))).squareRoot())
                return deviation > 0 && deviation.isFinite ? deviation : 1
            }
        }
    }

    /// `features` scaled in place.
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when the stored vectors
    ///   (one or `featureCount` values, each scale finite and non-zero) do not fit.
    public func apply(to features: inout [Float], featureCount: Int) throws(DatasetError) {
        try check(featureCount: featureCount)
        guard kind != .none else { return }
        features.withUnsafeMutableBufferPointer { values in
            transform(UnsafePointer(values.baseAddress), count: values.count, into: values.baseAddress, featureCount: featureCount) { $0 }
        }
    }

    /// Refuses vectors that do not fit `featureCount` features.
    func check(featureCount: Int) throws(DatasetError) {
        guard fits(featureCount: featureCount) else {
            throw .invalidArgument(
                name: "preprocessing", value: "\(offset.count) offsets, \(scale.count) scales",
                allowed: "1 or \(featureCount) of each, scales finite and non-zero")
        }
    }

    /// `count` values of `source` converted to `Float` and scaled into `destination` in one
    /// pass (`destination` may be `source` when both are `Float`). `source` starts at the
    /// first feature of an example.
    /// - Precondition: ``fits(featureCount:)``.
    @inline(__always)
    func transform<Source>(
        _ source: UnsafePointer<Source>?, count: Int, into destination: UnsafeMutablePointer<Float>?, featureCount width: Int,
        _ convert: (Source) -> Float
    ) {
        guard count > 0, let source, let destination else { return }
        if kind == .none {
            for index in 0..<count { destination[index] = convert(source[index]) }
        } else if offset.count == 1 {
            let (offset, scale) = (self.offset[0], self.scale[0])
            for index in 0..<count { destination[index] = (convert(source[index]) - offset) / scale }
        } else {
            offset.withUnsafeBufferPointer { offset in
                scale.withUnsafeBufferPointer { scale in
                    for row in stride(from: 0, to: count, by: width) {
                        for column in 0..<min(width, count - row) {
                            destination[row + column] = (convert(source[row + column]) - offset[column]) / scale[column]
                        }
                    }
                }
            }
        }
    }
}
