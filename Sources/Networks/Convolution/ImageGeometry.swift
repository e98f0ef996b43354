/// The shape of one sample of image-like data, channels first (PyTorch's NCHW without the
/// batch): element (c, h, w) of sample n is at `n·count + (c·height + h)·width + w`.
/// Flattening a batch of them is a no-op on memory: row n of the `(N, count)` matrix is
/// sample n, as `torch.flatten(x, 1)`.
public struct ImageShape: Hashable, Sendable, CustomStringConvertible {
    public let channels: Int
    public let height: Int
    public let width: Int

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `image shape`
    ///   when a size is < 1 or above ``Architecture/maximumWidth``, or the product is.
    public init(channels: Int, height: Int, width: Int) throws(NetworkError) {
        self.channels = channels
        self.height = height
        self.width = width
        guard [channels, height, width].allSatisfy({ (1...Architecture.maximumWidth).contains($0) }),
            let count = checkedProduct(channels, height, width), count <= Architecture.maximumWidth
        else {
            throw .invalidArchitecture(
                field: "image shape",
                detail: "\(self) is not allowed (each size ≥ 1, C·H·W ≤ \(Architecture.maximumWidth))")
        }
    }

    /// C·H·W, the values of one sample.
    public var count: Int { channels * height * width }
    /// H·W, the values of one channel.
    public var planeCount: Int { height * width }

    /// `C×H×W`.
    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// How a convolution treats the border: `valid` uses only windows inside the image;
/// `same` pads with zeros so the output has ⌈size / stride⌉ positions per axis, the padding
/// split as TensorFlow and PyTorch's `padding='same'` do (the odd one at the bottom/right).
public enum ConvolutionPadding: String, Hashable, Sendable, Codable, CaseIterable {
    case same, valid
}

/// The product of `factors`, or nil when it overflows `Int`.
func checkedProduct(_ factors: Int...) -> Int? {
    var result = 1
    for factor in factors {
        let (next, overflow) = result.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        result = next
    }
    return result
}

/// The number of window positions along one axis of `size` values, and the zeros added
/// before the first value (the rest of the padding goes after the last).
func windowPositions(
    size: Int, kernel: Int, stride: Int, padding: ConvolutionPadding
) -> (positions: Int, padBefore: Int)? {
    switch padding {
    case .valid:
        guard kernel <= size else { return nil }
        return ((size - kernel) / stride + 1, 0)
    case .same:
        let positions = (size - 1) / stride + 1
        let total = Swift.max((positions - 1) * stride + kernel - size, 0)
        return (positions, total / 2)
    }
}
