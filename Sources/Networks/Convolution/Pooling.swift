import Activations
import Runtime

/// A pooling window's geometry: `kernelSize × kernelSize` windows every `stride` values
/// (PyTorch's default stride is the kernel size), no padding, so each axis has
/// ⌊(size − K) / S⌋ + 1 positions; channels are kept.
public struct Pooling2D: Hashable, Sendable {
    public let input: ImageShape
    public let output: ImageShape
    public let kernelSize: Int
    public let stride: Int

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `pooling` when
    ///   the kernel or stride is < 1 or the kernel is larger than the image.
    public init(input: ImageShape, kernelSize: Int, stride: Int? = nil) throws(NetworkError) {
        let stride = stride ?? kernelSize
        guard kernelSize >= 1, stride >= 1 else {
            throw .invalidArchitecture(
                field: "pooling", detail: "kernel \(kernelSize) and stride \(stride) must be ≥ 1")
        }
        guard let rows = windowPositions(size: input.height, kernel: kernelSize, stride: stride, padding: .valid),
            let columns = windowPositions(size: input.width, kernel: kernelSize, stride: stride, padding: .valid)
        else {
            throw .invalidArchitecture(
                field: "pooling", detail: "kernel \(kernelSize) is larger than the \(input.height)×\(input.width) image")
        }
        self.input = input
        self.kernelSize = kernelSize
        self.stride = stride
        output = try ImageShape(channels: input.channels, height: rows.positions, width: columns.positions)
    }
}

/// Max, average and global average pooling over NCHW batches: input (B, C·H·W), output
/// (B, C·OH·OW) or (B, C) for the global average. Planes (n, c) are split across
/// ``Execution/threads`` threads; each output is computed by one thread, so the split
/// changes no result.
public enum Pooling {
    /// y[n,c,i,j] = max over the window of x. NaN wins (it propagates, as in PyTorch).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxForward<T: ActivationScalar>(_ geometry: Pooling2D, output: MatrixBuffer<T>, input: MatrixBuffer<T>) {
        precondition(
            input.columns == geometry.input.count && output.columns == geometry.output.count
                && output.rows == input.rows, "Pooling: shapes do not agree")
        let (inPlane, outPlane) = (geometry.input.planeCount, geometry.output.planeCount)
        let (outHeight, outWidth, width) = (geometry.output.height, geometry.output.width, geometry.input.width)
        let (k, stride) = (geometry.kernelSize, geometry.stride)
        let (x, y) = (UncheckedSendable(input.base), UncheckedSendable(output.base))
        let minimum = Swift.max(1, (1 << 16) / Swift.max(1, inPlane))
        Execution.current.forEachChunk(count: input.rows * geometry.input.channels, minimumChunk: minimum, alignment: 1) { planes in
            for plane in planes {
                let source = x.value + plane * inPlane, target = y.value + plane * outPlane
                for i in 0..<outHeight {
                    let top = source + i * stride * width, row = target + i * outWidth
                    for j in 0..<outWidth {
                        // The comparison keeps a NaN once it is the maximum, and takes one when it comes.
                        var best = top[j * stride]
                        for u in 0..<k {
                            let line = top + u * width + j * stride
                            for v in 0..<k {
                                let value = line[v]
                                best = value > best || value != value ? value : best
                            }
                        }
                        row[j] = best
                    }
                }
            }
        }
    }

    /// dx = g routed to the window's maximum (the first one on ties, as PyTorch's CPU
    /// kernel; a NaN when there is one); windows that overlap add. `inputGradient` is
    /// overwritten.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxBackward<T: ActivationScalar>(
        _ geometry: Pooling2D, inputGradient: MatrixBuffer<T>, outputGradient: MatrixBuffer<T>, input: MatrixBuffer<T>
    ) {
        precondition(
            input.columns == geometry.input.count && outputGradient.columns == geometry.output.count
                && outputGradient.rows == input.rows && inputGradient.rows == input.rows
                && inputGradient.columns == input.columns, "Pooling: shapes do not agree")
        let (inPlane, outPlane) = (geometry.input.planeCount, geometry.output.planeCount)
        let (outHeight, outWidth, width) = (geometry.output.height, geometry.output.width, geometry.input.width)
        let (k, stride) = (geometry.kernelSize, geometry.stride)
        let (x, g, dx) = (UncheckedSendable(input.base), UncheckedSendable(outputGradient.base), UncheckedSendable(inputGradient.base))
        let minimum = Swift.max(1, (1 << 16) / Swift.max(1, inPlane))
        Execution.current.forEachChunk(count: input.rows * geometry.input.channels, minimumChunk: minimum, alignment: 1) { planes in
            for plane in planes {
                let source = x.value + plane * inPlane, gradient = g.value + plane * outPlane
                let target = dx.value + plane * inPlane
                target.update(repeating: 0, count: inPlane)
                for i in 0..<outHeight {
                    for j in 0..<outWidth {
                        let start = i * stride * width + j * stride
                        var best = start, bestValue = source[start]
                        search: for u in 0..<k where !bestValue.isNaN {
                            for v in 0..<k {
                                let offset = start + u * width + v, value = source[offset]
                                if value > bestValue || value.isNaN {
                                    (best, bestValue) = (offset, value)
                                    if value.isNaN { break search }
                                }
                            }
                        }
                        target[best] += gradient[i * outWidth + j]
                    }
                }
            }
        }
    }

    /// y = the mean of each window.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func averageForward<T: ActivationScalar>(_ geometry: Pooling2D, output: MatrixBuffer<T>, input: MatrixBuffer<T>) {
        let scale = 1 / T(geometry.kernelSize * geometry.kernelSize)
        forEachWindow(geometry, input: input, output: output) { window, target in
            target.pointee = window.sum() * scale
        }
    }

    /// dx = g / K² spread over each window; windows that overlap add. Overwrites.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func averageBackward<T: ActivationScalar>(
        _ geometry: Pooling2D, inputGradient: MatrixBuffer<T>, outputGradient: MatrixBuffer<T>
    ) {
        let scale = 1 / T(geometry.kernelSize * geometry.kernelSize)
        let dx = UncheckedSendable(inputGradient.base), k = geometry.kernelSize, width = geometry.input.width
        forEachWindow(geometry, input: inputGradient, output: outputGradient, zeroingInput: true) { window, target in
            let share = target.pointee * scale
            for u in 0..<k {
                let row = dx.value + window.planeOffset + window.start + u * width
                for v in 0..<k { row[v] += share }
            }
        }
    }

    /// y (B, C) = the mean of each channel's H·W values (`AdaptiveAvgPool2d(1)` + flatten).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func globalAverageForward<T: ActivationScalar>(_ shape: ImageShape, output: MatrixBuffer<T>, input: MatrixBuffer<T>) {
        precondition(input.columns == shape.count && output.columns == shape.channels && output.rows == input.rows,
                     "Pooling.globalAverageForward: shapes do not agree")
        let scale = 1 / T(shape.planeCount), plane = shape.planeCount
        let x = UncheckedSendable(input.base), y = UncheckedSendable(output.base)
        Execution.current.forEachChunk(count: output.count, minimumChunk: Swift.max(1, (1 << 16) / plane), alignment: 1) { planes in
            for index in planes {
                let values = x.value + index * plane
                var sum: T = 0
                for p in 0..<plane { sum += values[p] }
                y.value[index] = sum * scale
            }
        }
    }

    /// dx[n, c, :] = g[n, c] / (H·W). Overwrites.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func globalAverageBackward<T: ActivationScalar>(
        _ shape: ImageShape, inputGradient: MatrixBuffer<T>, outputGradient: MatrixBuffer<T>
    ) {
        precondition(inputGradient.columns == shape.count && outputGradient.columns == shape.channels
                        && outputGradient.rows == inputGradient.rows, "Pooling.globalAverageBackward: shapes do not agree")
        let scale = 1 / T(shape.planeCount), plane = shape.planeCount
        let dx = UncheckedSendable(inputGradient.base), g = UncheckedSendable(outputGradient.base)
        Execution.current.forEachChunk(count: outputGradient.count, minimumChunk: Swift.max(1, (1 << 16) / plane), alignment: 1) { planes in
            for index in planes {
                (dx.value + index * plane).update(repeating: g.value[index] * scale, count: plane)
            }
        }
    }

    /// One window of one plane: its values are `base[planeOffset + start + u·W + v]`.
    struct Window<T: ActivationScalar> {
        let base: UnsafeMutablePointer<T>
        let planeOffset: Int
        let start: Int
        let kernel: Int
        let width: Int

        @inline(__always)
        func sum() -> T {
            var total: T = 0
            for u in 0..<kernel {
                let row = base + planeOffset + start + u * width
                for v in 0..<kernel { total += row[v] }
            }
            return total
        }
    }

    /// Calls `body` with each window of `input` and the matching element of `output`,
    /// planes split across threads; with `zeroingInput`, each plane of `input` is set to 0
    /// first, by the thread that then visits that plane's windows.
    @inline(__always)
    private static func forEachWindow<T: ActivationScalar>(
        _ geometry: Pooling2D, input: MatrixBuffer<T>, output: MatrixBuffer<T>, zeroingInput: Bool = false,
        _ body: (Window<T>, UnsafeMutablePointer<T>) -> Void
    ) {
        precondition(
            input.columns == geometry.input.count && output.columns == geometry.output.count
                && output.rows == input.rows, "Pooling: shapes do not agree")
        let planes = input.rows * geometry.input.channels
        let (inPlane, outPlane) = (geometry.input.planeCount, geometry.output.planeCount)
        let (outHeight, outWidth, width) = (geometry.output.height, geometry.output.width, geometry.input.width)
        let (x, y) = (UncheckedSendable(input.base), UncheckedSendable(output.base))
        let minimum = Swift.max(1, (1 << 16) / Swift.max(1, inPlane))
        Execution.current.forEachChunk(count: planes, minimumChunk: minimum, alignment: 1) { range in
            for plane in range {
                if zeroingInput { (x.value + plane * inPlane).update(repeating: 0, count: inPlane) }
                for i in 0..<outHeight {
                    for j in 0..<outWidth {
                        let window = Window(
                            base: x.value, planeOffset: plane * inPlane,
                            start: i * geometry.stride * width + j * geometry.stride,
                            kernel: geometry.kernelSize, width: width)
                        body(window, y.value + plane * outPlane + i * outWidth + j)
                    }
                }
            }
        }
    }
}
