import Activations
import Runtime

/// The 2-D convolution's kernels (see ``Convolution2D`` for the definition and layouts).
/// Shapes below: B = batch, C×H×W the input image, OC×OH×OW the output image,
/// P = OH·OW positions, CKK = C·K·K, W is `[OC, CKK]` (OIHW flattened), G the images of a
/// group (``Convolution2D/groupSize``, the last group of a thread possibly smaller).
///
/// A group of images is one im2col copy per image, side by side in a `CKK × (G·P)` matrix,
/// and one GEMM; images are split across ``Execution/threads`` threads (contiguous runs,
/// each thread with its own buffers in `scratch`, so im2col and col2im run in parallel
/// too). The weight and bias gradients are summed per thread and the partial sums added in
/// thread order, so the same thread count gives the same bits.
public enum Convolution {
    /// output[n] (OC, P) = W (OC, CKK) · im2col(input[n]) (CKK, P) + bias, G images per GEMM.
    /// - Parameter scratch: at least `geometry.scratchCount(threads:)` scalars for the
    ///   current thread count.
    /// - Precondition: the shapes agree; buffers do not overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func forward<T: ActivationScalar>(
        _ geometry: Convolution2D, output: MatrixBuffer<T>, input: MatrixBuffer<T>,
        weight: UnsafePointer<T>, bias: UnsafePointer<T>?, scratch: UnsafeMutableBufferPointer<T>
    ) {
        let (batch, layout, threads) = check(geometry, input: input, output: output, scratch: scratch)
        let oc = geometry.output.channels, positions = geometry.output.planeCount
        let (out, x, base) = (UncheckedSendable(output.base), UncheckedSendable(input.base), UncheckedSendable(scratch.baseAddress!))
        let execution = threads == 1 ? Execution.serial : Execution.current
        execution.forEachIndexedChunk(count: batch, minimumChunk: minimumImages(geometry), alignment: 1) { chunk, images in
            let buffers = layout.buffers(base.value, chunk)
            for first in stride(from: images.lowerBound, to: images.upperBound, by: geometry.groupSize) {
                let count = Swift.min(geometry.groupSize, images.upperBound - first), width = count * positions
                for g in 0..<count {
                    geometry.im2col(x.value + (first + g) * input.columns, into: buffers.columns + g * positions, rowStride: width)
                }
                // One image: straight onto its bias rows. Several: into the staging matrix
                // (OC, G·P), then each image's rows to its place with the bias.
                let single = count == 1
                let target = single ? out.value + first * output.columns : buffers.staging
                if single, let bias {
                    for o in 0..<oc { (target + o * positions).update(repeating: bias[o], count: positions) }
                }
                BLAS.singleThreadedGEMM(
                    false, false, oc, width, geometry.patchCount, 1, weight, geometry.patchCount,
                    buffers.columns, width, single && bias != nil ? 1 : 0, target, width)
                if single { continue }
                for g in 0..<count {
                    let image = out.value + (first + g) * output.columns
                    for o in 0..<oc {
                        let source = buffers.staging + o * width + g * positions, row = image + o * positions
                        let shift = bias?[o] ?? 0
                        for p in 0..<positions { row[p] = source[p] + shift }
                    }
                }
            }
        }
    }

    /// The backward pass of ``forward(_:output:input:weight:bias:scratch:)``, per group of
    /// images with dY the group's output gradients side by side, `(OC, G·P)`:
    ///
    /// ```
    /// weightGradient (OC, CKK) = Σ_groups dY (OC, G·P) · im2colᵀ (G·P, CKK)
    /// biasGradient   (OC)      = Σ_n Σ_p outputGradient[n, o, p]
    /// inputGradient[n]         = col2im(Wᵀ (CKK, OC) · dY (OC, G·P)), image n's columns
    /// ```
    ///
    /// The parameter gradients are overwritten; `inputGradient` is skipped when nil.
    /// - Precondition: the shapes agree; outputs do not overlap inputs.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func backward<T: ActivationScalar>(
        _ geometry: Convolution2D, inputGradient: MatrixBuffer<T>?, weightGradient: UnsafeMutablePointer<T>,
        biasGradient: UnsafeMutablePointer<T>?, outputGradient: MatrixBuffer<T>, input: MatrixBuffer<T>,
        weight: UnsafePointer<T>, scratch: UnsafeMutableBufferPointer<T>
    ) {
        let (batch, layout, threads) = check(geometry, input: input, output: outputGradient, scratch: scratch)
        if let inputGradient {
            precondition(inputGradient.rows == batch && inputGradient.columns == input.columns,
                         "Convolution.backward: input gradient shape")
        }
        let oc = geometry.output.channels, positions = geometry.output.planeCount
        let patch = geometry.patchCount, weightCount = geometry.weightCount
        let base = UncheckedSendable(scratch.baseAddress!)
        for thread in 0..<threads {
            layout.buffers(base.value, thread).partialWeight.update(repeating: 0, count: weightCount + oc)
        }
        let (g, x, dx) = (UncheckedSendable(outputGradient.base), UncheckedSendable(input.base), UncheckedSendable(inputGradient?.base))
        let execution = threads == 1 ? Execution.serial : Execution.current
        execution.forEachIndexedChunk(count: batch, minimumChunk: minimumImages(geometry), alignment: 1) { chunk, images in
            let buffers = layout.buffers(base.value, chunk)
            let partialBias = buffers.partialWeight + weightCount
            for first in stride(from: images.lowerBound, to: images.upperBound, by: geometry.groupSize) {
                let count = Swift.min(geometry.groupSize, images.upperBound - first), width = count * positions
                let gradient: UnsafeMutablePointer<T>
                if count == 1 {
                    gradient = g.value + first * outputGradient.columns
                } else {
                    gradient = buffers.staging
                    for image in 0..<count {
                        let source = g.value + (first + image) * outputGradient.columns
                        for o in 0..<oc {
                            (gradient + o * width + image * positions).update(from: source + o * positions, count: positions)
                        }
                    }
                }
                for image in 0..<count {
                    geometry.im2col(x.value + (first + image) * input.columns, into: buffers.columns + image * positions, rowStride: width)
                }
                BLAS.singleThreadedGEMM(
                    false, true, oc, patch, width, 1, gradient, width, buffers.columns, width,
                    1, buffers.partialWeight, patch)
                for o in 0..<oc {
                    let row = gradient + o * width
                    var sum: T = 0
                    for p in 0..<width { sum += row[p] }
                    partialBias[o] += sum
                }
                if let target = dx.value {
                    BLAS.singleThreadedGEMM(
                        true, false, patch, width, oc, 1, weight, patch, gradient, width,
                        0, buffers.columnGradient, width)
                    for image in 0..<count {
                        geometry.col2im(
                            buffers.columnGradient + image * positions, rowStride: width,
                            into: target + (first + image) * input.columns)
                    }
                }
            }
        }
        let firstPartial = layout.buffers(base.value, 0).partialWeight
        weightGradient.update(from: firstPartial, count: weightCount)
        biasGradient?.update(from: firstPartial + weightCount, count: oc)
        for thread in 1..<threads {
            let partial = layout.buffers(base.value, thread).partialWeight
            for index in 0..<weightCount { weightGradient[index] += partial[index] }
            if let biasGradient {
                for o in 0..<oc { biasGradient[o] += partial[weightCount + o] }
            }
        }
    }

    /// Where each thread's buffers sit in the scratch: im2col matrix and its gradient
    /// (CKK × G·P each), the staging matrix (OC × G·P), the partial weight and bias gradient.
    struct ScratchLayout {
        let columns: Int
        let staging: Int
        let perThread: Int

        init(_ geometry: Convolution2D) {
            columns = geometry.patchCount * geometry.output.planeCount * geometry.groupSize
            staging = geometry.output.channels * geometry.output.planeCount * geometry.groupSize
            perThread = 2 * columns + staging + geometry.weightCount + geometry.output.channels
        }

        func buffers<T>(_ base: UnsafeMutablePointer<T>, _ thread: Int) -> (
            columns: UnsafeMutablePointer<T>, columnGradient: UnsafeMutablePointer<T>,
            staging: UnsafeMutablePointer<T>, partialWeight: UnsafeMutablePointer<T>
        ) {
            let start = base + thread * perThread
            return (start, start + columns, start + 2 * columns, start + 2 * columns + staging)
        }
    }

    /// Checks the shapes and the scratch; returns (B, the scratch layout, the threads it is
    /// laid out for).
    private static func check<T>(
        _ geometry: Convolution2D, input: MatrixBuffer<T>, output: MatrixBuffer<T>,
        scratch: UnsafeMutableBufferPointer<T>
    ) -> (Int, ScratchLayout, Int) {
        precondition(
            input.columns == geometry.input.count && output.columns == geometry.output.count
                && output.rows == input.rows, "Convolution: shapes do not agree")
        let threads = Swift.min(Execution.current.threads, Swift.max(1, input.rows))
        guard let needed = geometry.scratchCount(threads: threads), scratch.count >= needed else {
            preconditionFailure("Convolution: scratch holds \(scratch.count) scalars, \(threads) threads need more")
        }
        return (input.rows, ScratchLayout(geometry), threads)
    }

    /// Images per thread below which a split costs more than it saves (a hand-off costs
    /// about as much as 2²⁰ multiply-adds, as in ``BLAS/parallelThreshold``).
    static func minimumImages(_ geometry: Convolution2D) -> Int {
        Swift.max(1, BLAS.parallelThreshold / Swift.max(1, geometry.multiplyAddsPerImage ?? Int.max))
    }
}
