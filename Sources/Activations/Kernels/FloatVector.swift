internal import CActivationKernels

/// The lane group the Float kernels work on: sixteen floats, i.e. two AVX registers or one
/// AVX-512 register. Two independent halves per step give the out-of-order core the
/// parallelism that the long exp/log dependency chains need (measured: 20–30 % faster than
/// eight lanes on Zen 3).
typealias FloatVector = SIMD16<Float>

/// The integer view of a ``FloatVector`` (same bits).
typealias FloatVectorBits = SIMD16<Int32>

/// a·b + c with a single rounding.
///
/// Swift's `addingProduct` is written as a lane loop that LLVM's SLP vectoriser must put back
/// together; in the long kernels it sometimes splits lanes off into scalar code. The C helper
/// is one `llvm.fma` on the whole vector.
@inline(__always)
func fma(_ a: FloatVector, _ b: FloatVector, _ c: FloatVector) -> FloatVector {
    rect_fma_f16(a, b, c)
}

/// `floor > x ? floor : x`, and x where x is NaN: one vmaxps (LLVM does not always see the
/// select as one).
@inline(__always)
func atLeast(_ floor: FloatVector, _ x: FloatVector) -> FloatVector {
    rect_max_f16(floor, x)
}

/// `table[index & 7]` in every lane (one vpermps per eight lanes).
@inline(__always)
func lookup(_ table: SIMD8<Float>, _ index: FloatVectorBits) -> FloatVector {
    rect_lookup8_f16(table, index)
}

extension SIMD16 where Scalar == Float {
    @inline(__always)
    init(bits: FloatVectorBits) {
        self = unsafeBitCast(bits, to: FloatVector.self)
    }

    @inline(__always)
    var bits: FloatVectorBits {
        unsafeBitCast(self, to: FloatVectorBits.self)
    }

    /// |x| (clears the sign bit, also of NaN, as `Float.magnitude` does).
    @inline(__always)
    var magnitude: FloatVector {
        FloatVector(bits: bits & FloatVectorBits(repeating: 0x7FFF_FFFF))
    }

    /// −|x|.
    @inline(__always)
    var negativeMagnitude: FloatVector {
        FloatVector(bits: bits | FloatVectorBits(repeating: Int32.min))
    }
}
