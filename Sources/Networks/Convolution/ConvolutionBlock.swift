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
                gatherPatches(image, rows: 0..<geometry.output.height, into: patches + g * positions * patch)
            }
            rect_gemm_packed(count * positions, oc, patch, patches, patch, packed, foldedBias, relu ? 1 : 0, values, oc)
            for g in 0..<count {
                store(values + g * positions * oc, firstRow: 0, bands: 0..<bandCount, into: output + (first + g) * outputCount, best: best)
            }
        }
    }

    /// Rows of the block's output image (the pooled image's, with pooling) whose values come
    /// from disjoint rows of the convolution's output: with pooling windows that do not
    /// overlap (size = stride), band r is pooled from convolution rows r·stride ..< (r + 1)·stride.
    var bandCount: Int { pooling?.output.height ?? geometry.output.height }

    /// Whether threads may share an image by bands (``forward(image:bands:input:output:packed:scratch:)``):
    /// pooling windows that do not overlap, and at least 2¹⁸ multiply-adds per image.
    var splitsImages: Bool {
        (pooling.map { $0.kernelSize == $0.stride } ?? true) && bandCount > 1
            && (geometry.multiplyAddsPerImage ?? 0) >= 1 << 18
    }

    /// Bands `bands` (``bandCount``) of image `image`: the same values as
    /// ``forward(images:input:output:packed:scratch:)`` writes there, from that band's rows of
    /// the convolution alone, so threads can split one image (a batch smaller than the threads).
    /// - Precondition: ``splitsImages``.
    func forward(
        image: Int, bands: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        packed: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let (positions, patch, oc) = (geometry.output.planeCount, geometry.patchCount, geometry.output.channels)
        let patches = scratch, values = patches + Self.groupSize(geometry) * positions * patch
        let channelsLast = values + Self.groupSize(geometry) * positions * oc
        let best = channelsLast + (geometry.input.channels > 1 ? geometry.input.count : 0)
        let step = pooling?.stride ?? 1, rows = bands.lowerBound * step..<bands.upperBound * step
        var source = input + image * geometry.input.count
        if geometry.input.channels > 1 && !channelsLastInput {
            toChannelsLast(source, into: channelsLast)
            source = UnsafePointer(channelsLast)
        }
        gatherPatches(source, rows: rows, into: patches)
        rect_gemm_packed(
            rows.count * geometry.output.width, oc, patch, patches, patch, packed,
            packed + rect_gemm_packed_count(oc, patch), relu ? 1 : 0, values, oc)
        store(values, firstRow: rows.lowerBound, bands: bands, into: output + image * outputShape.count, best: best)
    }

    /// x (C, H, W) → (H, W, C).
    private func toChannelsLast(_ image: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let (channels, plane) = (geometry.input.channels, geometry.input.planeCount)
        for c in 0..<channels {
            let source = image + c * plane
            for p in 0..<plane { target[p * channels + c] = source[p] }
        }
    }

    /// Fills `patches` (P rows of K·K·C for the output rows `rows`) from `image` (H, W, C):
    /// row (i − rows.lowerBound)·OW + j holds window (i, j) in the order (u, v, c), 0 outside
    /// the image. Rows are written in order, and within a row the window's rows in order.
    private func gatherPatches(_ image: UnsafePointer<Float>, rows: Range<Int>, into patches: UnsafeMutablePointer<Float>) {
        let (channels, k, stride) = (geometry.input.channels, geometry.kernelSize, geometry.stride)
        let (height, width, outWidth) = (geometry.input.height, geometry.input.width, geometry.output.width)
        let (run, imageCount) = (k * channels, geometry.input.count)
        var target = patches
        for i in rows {
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

    /// Writes the bands `bands` (``bandCount``) of one image's Y (P, OC), whose rows start at
    /// the convolution's output row `firstRow`, to `output` through the pooling (or as it is
    /// without pooling): channels last (P', OC) when ``channelsLastOutput``, else NCHW (OC, P')
    /// as the layers write it. The max keeps a NaN once it is the maximum and takes one when
    /// it comes, as ``Pooling/maxForward(_:output:input:)``.
    private func store(
        _ values: UnsafePointer<Float>, firstRow: Int, bands: Range<Int>, into output: UnsafeMutablePointer<Float>,
        best: UnsafeMutablePointer<Float>
    ) {
        let (oc, width) = (geometry.output.channels, geometry.output.width)
        let rowStart = values - firstRow * width * oc
        guard let pooling else {
            let (positions, first) = (geometry.output.planeCount, bands.lowerBound * width)
            if channelsLastOutput {
                (output + first * oc).update(from: rowStart + first * oc, count: bands.count * width * oc)
                return
            }
            for p in first..<bands.upperBound * width {
                for o in 0..<oc { output[o * positions + p] = rowStart[p * oc + o] }
            }
            return
        }
        let (k, stride) = (pooling.kernelSize, pooling.stride)
        let (outWidth, plane) = (pooling.output.width, pooling.output.planeCount)
        for i in bands {
            for j in 0..<outWidth {
                let corner = rowStart + (i * stride * width + j * stride) * oc, position = i * outWidth + j
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
    /// `input` into `output`, images split across ``Execution/threads`` threads, or with fewer
    /// images than threads (a batch of one) each image split by bands where it ``ConvolutionBlock/splitsImages``.
    func run(_ block: ConvolutionBlock, layer index: Int, input: MatrixBuffer<Scalar>, output: MatrixBuffer<Scalar>) {
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        let packed = workspace.derived(index, version: parameters.version, count: block.packedCount) { block.pack(into: $0) }
        let threads = Swift.min(Execution.current.threads, input.rows)
        let perThread = ConvolutionBlock.scratchPerThread(block.geometry)!
        let (x, y) = (floats(input.base), mutableFloats(output.base))
        if input.rows < Execution.current.threads, block.splitsImages {
            // Fewer images than threads (a batch of one): the threads split each image by bands.
            let scratch = mutableFloats(workspace.scratch(count: perThread * Execution.current.threads).baseAddress!)
            for image in 0..<input.rows {
                Execution.current.forEachIndexedChunk(count: block.bandCount, minimumChunk: 1, alignment: 1) { chunk, bands in
                    block.forward(image: image, bands: bands, input: x, output: y, packed: packed, scratch: scratch + chunk * perThread)
                }
            }
            return
        }
        let scratch = mutableFloats(workspace.scratch(count: perThread * threads).baseAddress!)
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
