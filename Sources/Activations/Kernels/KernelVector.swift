internal import CActivationKernels

/// A lane group the kernels work on: ``FloatVector`` (16 × Float) or ``DoubleVector``
/// (8 × Double), 64 bytes either way (one cache line).
protocol KernelVector: SIMD where Scalar: ActivationScalar {
    /// |x| by clearing the sign bit (also of NaN, as the scalar `magnitude`).
    var magnitude: Self { get }
    /// Stores `value` at a 64-byte aligned `address`, bypassing the caches.
    static func storeNonTemporal(_ value: Self, to address: UnsafeMutablePointer<Scalar>)
}

extension SIMD16: KernelVector where Scalar == Float {
    @inline(__always)
    static func storeNonTemporal(_ value: Self, to address: UnsafeMutablePointer<Float>) {
        rect_stream_f16(address, value)
    }
}

/// Eight Double lanes: two AVX registers.
typealias DoubleVector = SIMD8<Double>

extension SIMD8: KernelVector where Scalar == Double {
    @inline(__always)
    var magnitude: DoubleVector {
        let bits = unsafeBitCast(self, to: SIMD8<Int64>.self) & SIMD8<Int64>(repeating: .max)
        return unsafeBitCast(bits, to: DoubleVector.self)
    }

    @inline(__always)
    static func storeNonTemporal(_ value: Self, to address: UnsafeMutablePointer<Double>) {
        rect_stream_d8(address, value)
    }
}

/// Orders the non-temporal stores of this thread before anything it does next.
@inline(__always)
func nonTemporalStoreFence() {
    rect_store_fence()
}
