import Activations

/// The copies that turn a convolution into GEMMs, for one image of `geometry.input`:
///
/// ```
/// im2col:  col[(c·K + u)·K + v, i·OW + j] = x[c, i·S − padTop + u, j·S − padLeft + v]   (0 outside)
/// col2im:  dx[c, h, w] = Σ of every col entry that im2col copied from x[c, h, w]
/// ```
///
/// col is `(C·K·K) × (OH·OW)` with rows `rowStride` apart (OH·OW for one image; a multiple of
/// it when several images sit side by side in one matrix, image g in columns g·OH·OW ..<).
/// Each row (c, u, v) is OH runs of OW values; the
/// columns j whose source lies inside the image are one contiguous range, computed once
/// per (u, v), so the inner loops are a plain copy (stride 1) or a strided gather.
extension Convolution2D {
    /// The range of output positions j along an axis whose source `j·S − pad + offset`
    /// lies in `0..<size`.
    @inline(__always)
    private func insideRange(offset: Int, pad: Int, size: Int, positions: Int) -> Range<Int> {
        // j·S ≥ pad − offset  and  j·S ≤ size − 1 + pad − offset
        let low = pad - offset, high = size - 1 + pad - offset
        let first = low <= 0 ? 0 : (low + stride - 1) / stride
        let last = high < 0 ? -1 : high / stride
        let end = Swift.min(positions, last + 1)
        return first < end ? first..<end : 0..<0
    }

    /// Fills `columns` ((C·K·K)·(OH·OW) scalars) from one image `image` (C·H·W scalars).
    @inline(__always)
    func im2col<T: ActivationScalar>(_ image: UnsafePointer<T>, into columns: UnsafeMutablePointer<T>, rowStride: Int) {
        let (height, width, k) = (input.height, input.width, kernelSize)
        let (outHeight, outWidth) = (output.height, output.width)
        var row = columns
        for channel in 0..<input.channels {
            let plane = image + channel * height * width
            for u in 0..<k {
                let inside = insideRange(offset: u, pad: padTop, size: height, positions: outHeight)
                for v in 0..<k {
                    let across = insideRange(offset: v, pad: padLeft, size: width, positions: outWidth)
                    for i in 0..<outHeight {
                        let target = row + i * outWidth
                        guard inside.contains(i), !across.isEmpty else {
                            target.update(repeating: 0, count: outWidth)
                            continue
                        }
                        target.update(repeating: 0, count: across.lowerBound)
                        let source = plane + (i * stride - padTop + u) * width - padLeft + v
                        if stride == 1 {
                            (target + across.lowerBound).update(from: source + across.lowerBound, count: across.count)
                        } else {
                            for j in across { target[j] = source[j * stride] }
                        }
                        (target + across.upperBound).update(repeating: 0, count: outWidth - across.upperBound)
                    }
                    row += rowStride
                }
            }
        }
    }

    /// Writes the image gradient `image` (C·H·W scalars, overwritten) from the gradient of
    /// its im2col matrix `columns`.
    @inline(__always)
    func col2im<T: ActivationScalar>(_ columns: UnsafePointer<T>, rowStride: Int, into image: UnsafeMutablePointer<T>) {
        let (height, width, k) = (input.height, input.width, kernelSize)
        let (outHeight, outWidth) = (output.height, output.width)
        image.update(repeating: 0, count: input.count)
        var row = columns
        for channel in 0..<input.channels {
            let plane = image + channel * height * width
            for u in 0..<k {
                let inside = insideRange(offset: u, pad: padTop, size: height, positions: outHeight)
                for v in 0..<k {
                    let across = insideRange(offset: v, pad: padLeft, size: width, positions: outWidth)
                    for i in inside {
                        let source = row + i * outWidth
                        let target = plane + (i * stride - padTop + u) * width - padLeft + v
                        if stride == 1 {
                            for j in across { target[j] += source[j] }
                        } else {
                            for j in across { target[j * stride] += source[j] }
                        }
                    }
                    row += rowStride
                }
            }
        }
    }
}
