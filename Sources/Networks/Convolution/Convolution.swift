import Activations
import Runtime

/// The 2-D convolution's kernels (see ``Convolution2D`` for the definition and layouts).
/// Shapes below: B = batch, C×H×W the input image, OC×OH×OW the output image,
/// P = OH·OW positions, CKK = C·K·K, W is `[OC, CKK]` (OIHW flattened).
///
/// Each image is one im2col copy and one GEMM; images are split across
/// ``Execution/threads`` threads (contiguous runs of images, each thread with its own
/// im2col buffer in `scratch`, so im2col and col2im run in parallel too). The weight and
/// bias gradients are summed per thread and the partial sums added in thread order, so the
/// same thread count gives the same bits.
public enum Convolution {
    /// output (B, OC·P) = W (OC, CKK) · im2col(input[n]) (CKK, P) + bias, per image n.
    /// - Parameter scratch: at least `geometry.scratchCount(threads:)` scalars for the
    ///   current thread count.
    /// - Precondition: the shapes agree; buffers do not overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func forward<T: ActivationScalar>(
        _ geometry: Convolution2D, output: MatrixBuffer<T>, input: MatrixBuffer<T>,
        weight: UnsafePointer<T>, bias: UnsafePointer<T>?, scratch: UnsafeMutableBufferPointer<T>
    ) {
        let (batch, columnCount, threads) = check(geometry, input: input, output: output, scratch: scratch)
        let oc = geometry.output.channels, positions = geometry.output.planeCount
        let perThread = 2 * columnCount + geometry.weightCount + oc
        let (out, x, base) = (UncheckedSendable(output.base), UncheckedSendable(input.base), UncheckedSendable(scratch.baseAddress!))
        let execution = threads == 1 ? Execution.serial : Execution.current
        execution.forEachIndexedChunk(count: batch, minimumChunk: minimumImages(geometry), alignment: 1) { chunk, images in
            let columns = base.value + chunk * perThread
            for n in images {
                let image = out.value + n * output.columns
                geometry.im2col(x.value + n * input.columns, into: columns)
                if let bias {
                    for o in 0..<oc { (image + o * positions).update(repeating: bias[o], count: positions) }
                }
                BLAS.singleThreadedGEMM(
                    false, false, oc, positions, geometry.patchCount, 1, weight, geometry.patchCount,
                    columns, positions, bias == nil ? 0 : 1, image, positions)
            }
        }
    }

    /// The backward pass of ``forward(_:output:input:weight:bias:scratch:)``, per image n:
    ///
    /// ```
    /// weightGradient (OC, CKK) = Σ_n outputGradient[n] (OC, P) · im2col(input[n])ᵀ (P, CKK)
    /// biasGradient   (OC)      = Σ_n Σ_p outputGradient[n, o, p]
    /// inputGradient[n]         = col2im(Wᵀ (CKK, OC) · outputGradient[n] (OC, P))
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
        let (batch, columnCount, threads) = check(geometry, input: input, output: outputGradient, scratch: scratch)
        if let inputGradient {
            precondition(inputGradient.rows == batch && inputGradient.columns == input.columns,
                         "Convolution.backward: input gradient shape")
        }
        let oc = geometry.output.channels, positions = geometry.output.planeCount
        let patch = geometry.patchCount, weightCount = geometry.weightCount
        let perThread = 2 * columnCount + weightCount + oc
        let base = UncheckedSendable(scratch.baseAddress!)
        for thread in 0..<threads {
            (base.value + thread * perThread + 2 * columnCount).update(repeating: 0, count: weightCount + oc)
        }
        let (g, x, dx) = (UncheckedSendable(outputGradient.base), UncheckedSendable(input.base), UncheckedSendable(inputGradient?.base))
        let execution = threads == 1 ? Execution.serial : Execution.current
        execution.forEachIndexedChunk(count: batch, minimumChunk: minimumImages(geometry), alignment: 1) { chunk, images in
            let columns = base.value + chunk * perThread
            let columnGradient = columns + columnCount
            let partialWeight = columnGradient + columnCount, partialBias = partialWeight + weightCount
            for n in images {
                let gradient = g.value + n * outputGradient.columns
                geometry.im2col(x.value + n * input.columns, into: columns)
                BLAS.singleThreadedGEMM(
                    false, true, oc, patch, positions, 1, gradient, positions, columns, positions,
                    1, partialWeight, patch)
                for o in 0..<oc {
                    let row = gradient + o * positions
                    var sum: T = 0
                    for p in 0..<positions { sum += row[p] }
                    partialBias[o] += sum
                }
                if let target = dx.value {
                    BLAS.singleThreadedGEMM(
                        true, false, patch, positions, oc, 1, weight, patch, gradient, positions,
                        0, columnGradient, positions)
                    geometry.col2im(columnGradient, into: target + n * input.columns)
                }
            }
        }
        let firstWeight = base.value + 2 * columnCount
        weightGradient.update(from: firstWeight, count: weightCount)
        biasGradient?.update(from: firstWeight + weightCount, count: oc)
        for thread in 1..<threads {
            let partial = firstWeight + thread * perThread
            for index in 0..<weightCount { weightGradient[index] += partial[index] }
            if let biasGradient {
                for o in 0..<oc { biasGradient[o] += partial[weightCount + o] }
            }
        }
    }

    /// Checks the shapes; returns (B, im2col count, threads the scratch is laid out for).
    private static func check<T>(
        _ geometry: Convolution2D, input: MatrixBuffer<T>, output: MatrixBuffer<T>,
        scratch: UnsafeMutableBufferPointer<T>
    ) -> (Int, Int, Int) {
        precondition(
            input.columns == geometry.input.count && output.columns == geometry.output.count
                && output.rows == input.rows, "Convolution: shapes do not agree")
        let threads = Swift.min(Execution.current.threads, Swift.max(1, input.rows))
        guard let columns = geometry.columnCount, let needed = geometry.scratchCount(threads: threads),
            scratch.count >= needed
        else {
            preconditionFailure("Convolution: scratch holds \(scratch.count) scalars, \(threads) threads need more")
        }
        return (input.rows, columns, threads)
    }

    /// Images per thread below which a split costs more than it saves (a hand-off costs
    /// about as much as 2²⁰ multiply-adds, as in ``BLAS/parallelThreshold``).
    private static func minimumImages(_ geometry: Convolution2D) -> Int {
        Swift.max(1, BLAS.parallelThreshold / Swift.max(1, geometry.multiplyAddsPerImage ?? Int.max))
    }
}
