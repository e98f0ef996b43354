/// PReLU's forward pass over the rows of a row-major matrix, each unit (column) with its own
/// slope, for the Networks `PReLU` layer:
///
/// ```
/// output[r][c] = LeakyReLU.value(input[r][c], slope: slopes[c])
/// ```
///
/// Sixteen lanes at a time, bit for bit the leaky lane (−0 and NaN pass through, a zero slope
/// gives 0). Outputs
/// of ``VectorLoops/streamingBytes`` or more that are not the input are written with
/// non-temporal stores, as the other out-of-place kernels: a normal store first reads the line
/// it writes, 12 bytes of traffic per element instead of 8 (0.53 × memcpy at 2^24 on one
/// thread with normal stores). Non-temporal stores must be 64-byte aligned, so that path runs
/// over the matrix as one flat run (a short head aligns it) and lane k of element i takes
/// `slopes[(i + k) mod units]` from a copy of the slopes extended by sixteen, so a lane group
/// may cross a row end. Smaller outputs go row by row. One thread; the caller splits rows
/// across threads.
package enum PerUnitSlopeKernel {
    /// - Precondition: `input` and `output` hold `rows · units` Floats, `slopes` `units`
    ///   (≥ 1); `output` is `input` or does not overlap it.
    @inline(never)
    package static func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int, units: Int,
        slopes: UnsafePointer<Float>
    ) {
        let width = FloatVector.scalarCount, total = rows * units
        guard total > 0 else { return }
        guard UnsafePointer(output) != input, total * MemoryLayout<Float>.stride >= VectorLoops.streamingBytes
        else {
            // In cache: row by row, the slopes' lane groups in step with the row's.
            for row in 0..<rows {
                let x = input + row * units, y = output + row * units
                var c = 0
                while c + width <= units {
                    UnsafeMutableRawPointer(y + c).storeBytes(
                        of: lanes(x + c).leaky(slope: lanes(slopes + c)), as: FloatVector.self)
                    c &+= width
                }
                while c < units {
                    y[c] = scalar(x[c], slopes[c])
                    c += 1
                }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: units + width) { extended in
            for k in extended.indices { extended[k] = slopes[k % units] }
            let slopeLanes = UnsafePointer(extended.baseAddress!)
            let misalignment = Int(bitPattern: output) & 63
            let head = Swift.min(misalignment == 0 ? 0 : (64 - misalignment) / MemoryLayout<Float>.stride, total)
            var i = 0
            while i < head {
                output[i] = scalar(input[i], slopes[i % units])
                i += 1
            }
            var unit = i % units
            while i + width <= total {
                FloatVector.storeNonTemporal(
                    lanes(input + i).leaky(slope: lanes(slopeLanes + unit)), to: output + i)
                i &+= width
                unit &+= width
                while unit >= units { unit &-= units }
            }
            nonTemporalStoreFence()
            while i < total {
                output[i] = scalar(input[i], slopes[unit])
                i += 1
                unit = unit + 1 == units ? 0 : unit + 1
            }
        }
    }

    @inline(__always)
    private static func scalar(_ x: Float, _ slope: Float) -> Float { LeakyReLU.value(x, slope: slope) }

    @inline(__always)
    private static func lanes(_ pointer: UnsafePointer<Float>) -> FloatVector {
        UnsafeRawPointer(pointer).loadUnaligned(as: FloatVector.self)
    }
}
