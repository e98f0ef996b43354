import Networks
import Runtime

/// How a ``QuantizedNetwork`` runs, step by step: each ``dense`` or ``convolution`` step
/// consumes the next of its layers; the pooling steps run between them on the codes alone.
///
/// Images are kept channels last (NHWC: position by position, the channels of a position
/// adjacent) in the integer network, so a convolution is one GEMM: one im2col row per output
/// position holding its K·K·C input codes (order u, v, c, the padding filled with the input's
/// zero point, real 0), times the layer's weights in the same order, one scale per output
/// channel, and the GEMM's output rows are already the next image in NHWC. The Float input
/// (NCHW) is reordered once after quantisation; a Dense layer after a flattened image has its
/// columns reordered from C·H·W to H·W·C at quantisation, so no step flattens.
///
/// Pooling needs no floating point: every code of a tensor shares one scale and zero point,
/// and the real value `s·(c − z)` is increasing in c, so
/// - max pooling is the max of the codes, exact;
/// - average pooling (and the global average) is the integer sum of the codes divided by the
///   count, rounded half up once: the result is the code of the exact real mean rounded to
///   the nearest step, what quantising the Float average with the same parameters gives
///   (ties aside). The output keeps the input's parameters (a mean stays inside their range).
public enum QuantizedStep: Hashable, Sendable {
    /// The next layer on flat rows.
    case dense
    /// The next layer on the im2col rows of this geometry (its inputs are K·K·C, units OC).
    case convolution(Convolution2D)
    case maxPooling(Pooling2D)
    case averagePooling(Pooling2D)
    case globalAveragePooling(ImageShape)

    /// Values per sample before and after the step (the layer's for dense).
    func widths(layer: QuantizedDense?) -> (input: Int, output: Int) {
        switch self {
        case .dense: return (layer!.inputs, layer!.units)
        case .convolution(let geometry): return (geometry.input.count, geometry.output.count)
        case .maxPooling(let pooling), .averagePooling(let pooling): return (pooling.input.count, pooling.output.count)
        case .globalAveragePooling(let shape): return (shape.count, shape.channels)
        }
    }

    /// The image the step takes, nil for dense.
    package var inputImage: ImageShape? {
        switch self {
        case .dense: return nil
        case .convolution(let geometry): return geometry.input
        case .maxPooling(let pooling), .averagePooling(let pooling): return pooling.input
        case .globalAveragePooling(let shape): return shape
        }
    }

    /// im2col codes per sample (the convolution's K·K·C · OH·OW), 0 for the others.
    var patchBytes: Int? {
        guard case .convolution(let geometry) = self else { return 0 }
        return MemoryBudget.product(geometry.patchCount, geometry.output.planeCount)
    }

    /// Runs a pooling step on `images` NHWC images.
    package func pool(_ input: UnsafePointer<UInt8>, images: Int, into output: UnsafeMutablePointer<UInt8>) {
        switch self {
        case .dense, .convolution: preconditionFailure("pool: not a pooling step")
        case .maxPooling(let pooling):
            Self.pool(pooling.input, kernel: pooling.kernelSize, stride: pooling.stride, output: pooling.output,
                      maximum: true, input, images: images, into: output)
        case .averagePooling(let pooling):
            Self.pool(pooling.input, kernel: pooling.kernelSize, stride: pooling.stride, output: pooling.output,
                      maximum: false, input, images: images, into: output)
        case .globalAveragePooling(let shape):
            Self.pool(shape, kernel: 0, stride: 1, output: nil, maximum: false, input, images: images, into: output)
        }
    }

    /// Max or rounded mean over K×K windows (kernel 0: the whole image) of NHWC codes.
    private static func pool(
        _ shape: ImageShape, kernel: Int, stride: Int, output: ImageShape?, maximum: Bool,
        _ input: UnsafePointer<UInt8>, images: Int, into target: UnsafeMutablePointer<UInt8>
    ) {
        let (channels, width) = (shape.channels, shape.width)
        let (windowHeight, windowWidth) = kernel == 0 ? (shape.height, shape.width) : (kernel, kernel)
        let (outHeight, outWidth) = (output?.height ?? 1, output?.width ?? 1)
        let count = windowHeight * windowWidth
        var sums = [Int](repeating: 0, count: channels)
        var out = target
        for image in 0..<images {
            let source = input + image * shape.count
            for i in 0..<outHeight {
                for j in 0..<outWidth {
                    let corner = source + (i * stride * width + j * stride) * channels
                    if maximum {
                        out.update(from: corner, count: channels)
                        for u in 0..<windowHeight {
                            for v in 0..<windowWidth where u + v > 0 {
                                let pixel = corner + (u * width + v) * channels
                                for c in 0..<channels { out[c] = Swift.max(out[c], pixel[c]) }
                            }
                        }
                    } else {
                        sums.withUnsafeMutableBufferPointer { sums in
                            sums.update(repeating: 0)
                            for u in 0..<windowHeight {
                                for v in 0..<windowWidth {
                                    let pixel = corner + (u * width + v) * channels
                                    for c in 0..<channels { sums[c] += Int(pixel[c]) }
                                }
                            }
                            // round half up: ⌊(sum + ⌊n/2⌋) / n⌋ for sum ≥ 0
                            for c in 0..<channels { out[c] = UInt8((sums[c] + count / 2) / count) }
                        }
                    }
                    out += channels
                }
            }
        }
    }
}

extension Convolution2D {
    /// The im2col rows of `images` NHWC images of codes: row (n, i, j) holds the K·K·C codes
    /// `x[n, i·S − padTop + u, j·S − padLeft + v, c]` in the order (u, v, c), `zeroPoint`
    /// outside the image. Rows whose K positions lie inside the image are K·C contiguous
    /// codes of the input, copied at once.
    func integerIm2col(
        _ input: UnsafePointer<UInt8>, images: Int, zeroPoint: UInt8, into patches: UnsafeMutablePointer<UInt8>
    ) {
        let (channels, height, width, k) = (self.input.channels, self.input.height, self.input.width, kernelSize)
        let run = k * channels
        var row = patches
        for image in 0..<images {
            let source = input + image * self.input.count
            for i in 0..<output.height {
                let top = i * stride - padTop
                for j in 0..<output.width {
                    let left = j * stride - padLeft
                    for u in 0..<k {
                        let h = top + u
                        if h < 0 || h >= height {
                            row.update(repeating: zeroPoint, count: run)
                        } else if left >= 0 && left + k <= width {
                            row.update(from: source + (h * width + left) * channels, count: run)
                        } else {
                            for v in 0..<k {
                                let w = left + v, target = row + v * channels
                                if w < 0 || w >= width {
                                    target.update(repeating: zeroPoint, count: channels)
                                } else {
                                    target.update(from: source + (h * width + w) * channels, count: channels)
                                }
                            }
                        }
                        row += run
                    }
                }
            }
        }
    }
}

extension ImageShape {
    /// `images` images from NCHW to NHWC.
    func toChannelsLast(_ input: UnsafePointer<UInt8>, images: Int, into output: UnsafeMutablePointer<UInt8>) {
        let (channels, plane) = (self.channels, planeCount)
        for image in 0..<images {
            let source = input + image * count, target = output + image * count
            for c in 0..<channels {
                for p in 0..<plane { target[p * channels + c] = source[c * plane + p] }
            }
        }
    }

    /// A Dense layer's `[outputs × C·H·W]` weights with the columns reordered to H·W·C,
    /// so it reads the NHWC flattening what it read from the NCHW one.
    func columnsChannelsLast(_ weights: [Float], outputs: Int) -> [Float] {
        let (channels, plane) = (self.channels, planeCount)
        var result = weights
        for o in 0..<outputs {
            let base = o * count
            for c in 0..<channels {
                for p in 0..<plane { result[base + p * channels + c] = weights[base + c * plane + p] }
            }
        }
        return result
    }
}

extension QuantizedDense {
    /// A convolution of `images` NHWC images of codes into NHWC output codes: im2col into
    /// `patches` (``QuantizedStep/patchBytes`` per image), then ``forward(_:rows:into:path:)``
    /// (or ``referenceForward(_:rows:into:)``).
    /// - Precondition: the layer's inputs are the geometry's K·K·C and its units OC.
    package func convolve(
        _ geometry: Convolution2D, _ input: UnsafePointer<UInt8>, images: Int,
        patches: UnsafeMutablePointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
        path: IntegerGEMM.Path = .automatic, reference: Bool = false
    ) {
        let rows = images * geometry.output.planeCount
        geometry.integerIm2col(input, images: images, zeroPoint: UInt8(self.input.zeroPoint), into: patches)
        let patchRows = UnsafeBufferPointer(start: patches, count: rows * inputs)
        if reference {
            referenceForward(patchRows, rows: rows, into: output)
        } else {
            forward(patchRows, rows: rows, into: output, path: path)
        }
    }
}
