import Activations
import CGEMMKernels
import Runtime

/// The prediction form of a Float convolution and the per-channel layers right after it —
/// convolution → [batch norm] → [ReLU] → [max pooling] — computed a few images at a time
/// while their values are in cache, without writing the layers' own outputs:
///
/// ```
/// s[o] = γ[o] / √(σ²[o] + ε),  W'[o, (u·K + v)·C + c] = W[o, c, u, v]·s[o],  b'[o] = (b[o] − μ[o])·s[o] + β[o]
/// patches (P, K·K·C) = the image's windows, channels last (x[c, h, w] read at (h·W + w)·C + c; 0 outside)
/// Y (P, OC)          = max(0, patches · W'ᵀ + b')     (CGEMMKernels: bias and ReLU in the tile's epilogue)
/// output (OC, P')    = the max over each pooling window of Y's rows (Yᵀ without pooling), NCHW as the layers write it
/// ```
///
/// Between two blocks the image stays channels last (the first writes (P', OC), the second
/// reads it so); any other layer gets NCHW.
///
/// with s = 1 and b' = b without batch norm. Folding the batch norm into the weights rounds
/// differently from normalising the convolution's output: the two agree within Float
/// rounding, not bit for bit. Each image's values depend on that image only, so every thread
/// count and group size gives the same bits.
struct ConvolutionBlock {
    /// A batch norm's weight γ, bias β, running mean μ and running variance σ², OC each.
    struct Normalization {
        let weight: UnsafePointer<Float>
        let bias: UnsafePointer<Float>
        let mean: UnsafePointer<Float>
        let variance: UnsafePointer<Float>
    }

    let geometry: Convolution2D
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let normalization: Normalization?
    let relu: Bool
    let pooling: Pooling2D?
    /// The input is the channels-last output of the block before (HWC), not NCHW.
    let channelsLastInput: Bool
    /// Write the output channels last (HWC) for the convolution block that comes next.
    let channelsLastOutput: Bool

    /// The image the block writes: the pooled one, or the convolution's output.
    var outputShape: ImageShape { pooling?.output ?? geometry.output }

    /// The parameters the packed form is made from (``Workspace/derived(_:from:count:_:)``).
    var sources: [UnsafeBufferPointer<Float>] {
        let oc = geometry.output.channels
        var list = [UnsafeBufferPointer(start: weight, count: geometry.weightCount), UnsafeBufferPointer(start: bias, count: oc)]
        if let n = normalization {
            list += [n.weight, n.bias, n.mean, n.variance].map { UnsafeBufferPointer(start: $0, count: oc) }
        }
        return list
    }

    /// Floats of the packed form: W' in the GEMM's panels, then b'.
    var packedCount: Int {
        rect_gemm_packed_count(geometry.output.channels, geometry.patchCount) + geometry.output.channels
    }

    /// Writes W' packed for the GEMM (``rect_gemm_pack``), then b', into `packed`
    /// (``packedCount`` Floats). s is computed as the batch norm layer computes it.
    func pack(into packed: UnsafeMutablePointer<Float>) {
        let (oc, patch) = (geometry.output.channels, geometry.patchCount)
        var folded = geometry.weightsInPatchOrder(Array(UnsafeBufferPointer(start: weight, count: geometry.weightCount)))
        let foldedBias = packed + rect_gemm_packed_count(oc, patch)
        for o in 0..<oc {
            var scale: Float = 1
            foldedBias[o] = bias[o]
            if let n = normalization {
                scale = Float(BatchNormalization.inverseDeviation(Double(n.variance[o]))) * n.weight[o]
                foldedBias[o] = (bias[o] - n.mean[o]) * scale + n.bias[o]
            }
            for offset in o * patch..<(o + 1) * patch { folded[offset] *= scale }
        }
        rect_gemm_pack(folded, oc, patch, patch, packed)
    }

    /// Images whose patches go through one GEMM: as many as keep their patches and outputs
    /// within 2¹⁷ Floats (512 KiB, half a Zen 4 core's L2), at least one.
    static func groupSize(_ geometry: Convolution2D) -> Int {
        let (perImage, overflow) = geometry.output.planeCount.multipliedReportingOverflow(
            by: geometry.patchCount + geometry.output.channels)
        return overflow ? 1 : Swift.max(1, (1 << 17) / Swift.max(1, perImage))
    }

    /// Scratch Floats one thread needs: a group's patches and outputs, the image with its
    /// channels last (when C > 1) and one pooled position; nil when the count overflows `Int`.
    static func scratchPerThread(_ geometry: Convolution2D) -> Int? {
        let channelsLast = geometry.input.channels > 1 ? geometry.input.count : 0
        return MemoryBudget.sum(
            MemoryBudget.product(
                groupSize(geometry), geometry.output.planeCount, geometry.patchCount + geometry.output.channels),
            channelsLast, geometry.output.channels)
    }

    /// Runs the block on images `images` of `input` (B, C·H·W) into `output` (B,
    /// ``outputShape``.count), with `packed` from ``pack(into:)`` and ``scratchPerThread(_:)``
    /// Floats at `scratch`.
    func forward(
        images: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        packed: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let (positions, patch, oc) = (geometry.output.planeCount, geometry.patchCount, geometry.output.channels)
        let group = Self.groupSize(geometry), outputCount = outputShape.count
        let patches = scratch, values = patches + group * positions * patch
        let channelsLast = values + group * positions * oc
        let best = channelsLast + (geometry.input.channels > 1 ? geometry.input.count : 0)
        let foldedBias = packed + rect_gemm_packed_count(oc, patch)
        for first in stride(from: images.lowerBound, to: images.upperBound, by: group) {
            let count = Swift.min(group, images.upperBound - first)
            for g in 0..<count {
                var image = input + (first + g) * geometry.input.count
                if geometry.input.channels > 1 && !channelsLastInput {
                    toChannelsLast(image, into: channelsLast)
                    image = UnsafePointer(channelsLast)
                }
                gatherPatches(image, into: patches + g * positions * patch)
            }
            rect_gemm_packed(count * positions, oc, patch, patches, patch, packed, foldedBias, relu ? 1 : 0, values, oc)
            for g in 0..<count {
                store(values + g * positions * oc, into: output + (first + g) * outputCount, best: best)
            }
        }
    }

    /// x (C, H, W) → (H, W, C).
    private func toChannelsLast(_ image: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let (channels, plane) = (geometry.input.channels, geometry.input.planeCount)
        for c in 0..<channels {
            let source = image + c * plane
            for p in 0..<plane { target[p * channels + c] = source[p] }
        }
    }

    /// Fills `patches` (P rows of K·K·C) from `image` (H, W, C): row i·OW + j holds window
    /// (i, j) in the order (u, v, c), 0 outside the image. Rows are written in order, and
    /// within a row the window's rows in order.
    private func gatherPatches(_ image: UnsafePointer<Float>, into patches: UnsafeMutablePointer<Float>) {
        let (channels, k, stride) = (geometry.input.channels, geometry.kernelSize, geometry.stride)
        let (height, width, outWidth) = (geometry.input.height, geometry.input.width, geometry.output.width)
        let (run, imageCount) = (k * channels, geometry.input.count)
        var target = patches
        for i in 0..<geometry.output.height {
            for j in 0..<outWidth {
                let left = j * stride - geometry.padLeft
                let inside = left >= 0 && left + k <= width
                for u in 0..<k {
                    let h = i * stride - geometry.padTop + u, start = (h * width + left) * channels
                    if h < 0 || h >= height {
                        target.update(repeating: 0, count: run)
                    } else if inside && run > 8 {
                        // A window row is K·C consecutive values of the image row.
                        target.update(from: image + start, count: run)
                    } else if inside && start + 8 <= imageCount {
                        // A short window row (one channel, K ≤ 8): one 8-lane copy, cheaper
                        // than a copy call; the lanes past it land where the next window row,
                        // the next patch or the scratch after the patches is written later.
                        UnsafeMutableRawPointer(target).storeBytes(
                            of: UnsafeRawPointer(image + start).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                    } else {
                        for v in 0..<k {
                            let w = left + v
                            for c in 0..<channels {
                                target[v * channels + c] = w >= 0 && w < width ? image[(h * width + w) * channels + c] : 0
                            }
                        }
                    }
                    target += run
                }
            }
        }
    }

    /// Writes one image's Y (P, OC) to `output` through the pooling (or as it is without
    /// pooling): channels last (P', OC) when ``channelsLastOutput``, else NCHW (OC, P') as the
    /// layers write it. The max keeps a NaN once it is the maximum and takes one when it
    /// comes, as ``Pooling/maxForward(_:output:input:)``.
    private func store(_ values: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, best: UnsafeMutablePointer<Float>) {
        let oc = geometry.output.channels
        guard let pooling else {
            let positions = geometry.output.planeCount
            if channelsLastOutput {
                output.update(from: values, count: positions * oc)
                return
            }
            for p in 0..<positions {
                for o in 0..<oc { output[o * positions + p] = values[p * oc + o] }
            }
            return
        }
        let (k, stride, width) = (pooling.kernelSize, pooling.stride, geometry.output.width)
        let (outWidth, plane) = (pooling.output.width, pooling.output.planeCount)
        for i in 0..<pooling.output.height {
            for j in 0..<outWidth {
                let corner = values + (i * stride * width + j * stride) * oc, position = i * outWidth + j
                let target = channelsLastOutput ? output + position * oc : best
                target.update(from: corner, count: oc)
                for u in 0..<k {
                    for v in 0..<k where u + v > 0 {
                        let window = corner + (u * width + v) * oc
                        for o in 0..<oc {
                            let value = window[o]
                            target[o] = value > target[o] || value != value ? value : target[o]
                        }
                    }
                }
                if !channelsLastOutput {
                    for o in 0..<oc { output[o * plane + position] = best[o] }
                }
            }
        }
    }
}

extension Sequential {
    /// The convolution at `index` with the batch norm, ReLU and max pooling that follow it
    /// (those present, in that order) as one block, and the index of the block's last layer;
    /// nil when `Scalar` is not Float or layer `index` is no convolution. The block writes its
    /// output channels last when a convolution comes next (that one then gets
    /// `channelsLastInput`).
    func convolutionBlock(at index: Int, channelsLastInput: Bool) -> (block: ConvolutionBlock, last: Int)? {
        guard Scalar.self == Float.self, case let .convolution(geometry, weight, _, bias, _) = layers[index] else { return nil }
        var last = index
        var normalization: ConvolutionBlock.Normalization?
        var relu = false
        var pooling: Pooling2D?
        if last + 1 < layers.count,
            case let .batchNormalization(shape, scale, _, shift, _, mean, variance, _, _) = layers[last + 1],
            shape.channels == geometry.output.channels, shape.spatial == geometry.output.planeCount
        {
            normalization = ConvolutionBlock.Normalization(
                weight: floats(scale), bias: floats(shift), mean: floats(mean), variance: floats(variance))
            last += 1
        }
        if last + 1 < layers.count, case .activation(.relu) = layers[last + 1] {
            relu = true
            last += 1
        }
        if last + 1 < layers.count, case let .maxPooling(window) = layers[last + 1], window.input == geometry.output {
            pooling = window
            last += 1
        }
        var channelsLastOutput = false
        if last + 1 < layers.count, case .convolution = layers[last + 1] { channelsLastOutput = true }
        let block = ConvolutionBlock(
            geometry: geometry, weight: floats(weight), bias: floats(bias), normalization: normalization,
            relu: relu, pooling: pooling, channelsLastInput: channelsLastInput, channelsLastOutput: channelsLastOutput)
        return (block, last)
    }

    /// Runs `block` (starting at layer `index`, whose packed form the workspace keeps) on
    /// `input` into `output`, images split across ``Execution/threads`` threads.
    func run(_ block: ConvolutionBlock, layer index: Int, input: MatrixBuffer<Scalar>, output: MatrixBuffer<Scalar>) {
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        let packed = workspace.derived(index, from: block.sources, count: block.packedCount) { block.pack(into: $0) }
        let threads = Swift.min(Execution.current.threads, input.rows)
        let perThread = ConvolutionBlock.scratchPerThread(block.geometry)!
        let scratch = mutableFloats(workspace.scratch(count: perThread * threads).baseAddress!)
        let (x, y) = (floats(input.base), mutableFloats(output.base))
        let execution = threads == 1 ? Execution.serial : Execution.current
        execution.forEachIndexedChunk(count: input.rows, minimumChunk: Convolution.minimumImages(block.geometry), alignment: 1) {
            chunk, images in
            block.forward(images: images, input: x, output: y, packed: packed, scratch: scratch + chunk * perThread)
        }
    }

    private func floats(_ pointer: UnsafeMutablePointer<Scalar>) -> UnsafePointer<Float> {
        UnsafeRawPointer(pointer).assumingMemoryBound(to: Float.self)
    }

    private func mutableFloats(_ pointer: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Float.self)
    }
}
