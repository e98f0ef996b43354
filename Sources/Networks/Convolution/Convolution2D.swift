/// A 2-D convolution's geometry (cross-correlation, as PyTorch's `Conv2d`), checked once:
/// input `C×H×W`, `outputChannels` (OC) filters of `kernelSize × kernelSize`, a stride and
/// a padding. The weight is OIHW, `[OC, C, K, K]` row-major (PyTorch's layout), the bias
/// `[OC]`:
///
/// ```
/// y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, c, i·S − padTop + u, j·S − padLeft + v]
/// ```
///
/// with x = 0 outside the image. The kernels (``Convolution``) compute it as GEMMs over
/// im2col columns, `(C·K·K) × (OH·OW)` per image.
public struct Convolution2D: Hashable, Sendable {
    public let input: ImageShape
    public let output: ImageShape
    public let kernelSize: Int
    public let stride: Int
    public let padding: ConvolutionPadding
    /// Zeros before the first row and column (``ConvolutionPadding/same`` only).
    public let padTop: Int
    public let padLeft: Int
    /// Zeros after the last row and column: the rest of what `same` adds.
    public var padBottom: Int { Swift.max((output.height - 1) * stride + kernelSize - input.height, 0) - padTop }
    public var padRight: Int { Swift.max((output.width - 1) * stride + kernelSize - input.width, 0) - padLeft }

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `convolution`
    ///   when a size is < 1 or above ``Architecture/maximumWidth``, a `valid` kernel is larger
    ///   than the image, or a derived size (weights, im2col columns, output) overflows or
    ///   exceeds ``Architecture/maximumWidth`` (BLAS takes 32-bit sizes).
    public init(
        input: ImageShape, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        padding: ConvolutionPadding = .valid
    ) throws(NetworkError) {
        let limit = Architecture.maximumWidth
        func refuse(_ detail: String) -> NetworkError {
            .invalidArchitecture(field: "convolution", detail: detail)
        }
        for (name, value) in [("channels", outputChannels), ("kernel size", kernelSize), ("stride", stride)]
        where !(1...limit).contains(value) {
            throw refuse("\(name) \(value) is not allowed (1…\(limit))")
        }
        guard let rows = windowPositions(size: input.height, kernel: kernelSize, stride: stride, padding: padding),
            let columns = windowPositions(size: input.width, kernel: kernelSize, stride: stride, padding: padding)
        else {
            throw refuse("kernel \(kernelSize) is larger than the \(input.height)×\(input.width) image with valid padding")
        }
        self.input = input
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        padTop = rows.padBefore
        padLeft = columns.padBefore
        do {
            output = try ImageShape(channels: outputChannels, height: rows.positions, width: columns.positions)
        } catch {
            throw refuse("the output \(outputChannels)×\(rows.positions)×\(columns.positions) is too large")
        }
        guard let patch = checkedProduct(input.channels, kernelSize, kernelSize), patch <= limit,
            let weights = checkedProduct(patch, outputChannels), weights <= limit
        else {
            throw refuse("\(outputChannels)×\(input.channels)×\(kernelSize)×\(kernelSize) weights are too many (≤ \(limit))")
        }
    }

    /// C·K·K: the rows of an im2col matrix, the inputs of one filter.
    public var patchCount: Int { input.channels * kernelSize * kernelSize }
    /// OC·C·K·K.
    public var weightCount: Int { output.channels * patchCount }
    /// The weight's shape, OIHW.
    public var weightShape: [Int] { [output.channels, input.channels, kernelSize, kernelSize] }
    /// (C·K·K)·(OH·OW): one image's im2col matrix.
    public var columnCount: Int? { checkedProduct(patchCount, output.planeCount) }

    /// OIHW weights reordered to the order of the channels-last patches, O, (u, v, c):
    /// `result[o, (u·K + v)·C + c] = oihw[o, c, u, v]` (``weightCount`` values).
    public func weightsInPatchOrder(_ oihw: [Float]) -> [Float] {
        let (channels, k, patch) = (input.channels, kernelSize, patchCount)
        var result = [Float](repeating: 0, count: oihw.count)
        for o in 0..<output.channels {
            for c in 0..<channels {
                for u in 0..<k {
                    for v in 0..<k { result[o * patch + (u * k + v) * channels + c] = oihw[o * patch + (c * k + u) * k + v] }
                }
            }
        }
        return result
    }

    /// Multiply-adds of one image's forward pass, OC·C·K·K·OH·OW (the backward pass makes
    /// twice as many).
    public var multiplyAddsPerImage: Int? { checkedProduct(weightCount, output.planeCount) }

    /// Images whose im2col matrices sit side by side in one GEMM: enough for about 512
    /// columns (a GEMM of OH·OW = 64 columns ran at a fraction of BLAS's speed), at most 16.
    public var groupSize: Int { Swift.min(16, Swift.max(1, 512 / output.planeCount)) }

    /// The scratch scalars ``Convolution``'s passes need with `threads` threads: per
    /// thread, two im2col matrices and an output staging matrix for ``groupSize`` images,
    /// and a partial weight and bias gradient; nil when the count overflows `Int`.
    public func scratchCount(threads: Int) -> Int? {
        guard let group = checkedProduct(2 * patchCount + output.channels, output.planeCount, groupSize) else {
            return nil
        }
        let (perThread, overflow) = group.addingReportingOverflow(weightCount + output.channels)
        return overflow ? nil : checkedProduct(perThread, Swift.max(1, threads))
    }
}
