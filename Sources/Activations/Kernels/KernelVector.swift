internal import CActivationKernels

/// A lane group the kernels work on: ``FloatVector`` (16 × Float) or ``DoubleVector``
/// (8 × Double), 64 bytes either way (one cache line).
///
/// The piecewise-linear operations are requirements, implemented once per concrete type:
/// written generically, the lane comparisons stay a scalar loop with a branch per lane
/// (measured 9 ns/element for ReLU), while on the concrete types they become one vector
/// compare and blend.
protocol KernelVector: SIMD where Scalar: ActivationScalar {
    /// |x| by clearing the sign bit (also of NaN, as the scalar `magnitude`).
    var magnitude: Self { get }
    /// relu(x) = x < 0 ? 0 : x (so relu(−0) = −0, relu(−∞) = 0, NaN stays NaN): x86's
    /// max(0, x), which returns x unless 0 > x, is exactly that in one instruction.
    var rectified: Self { get }
    /// ``LeakyReLU/value(_:slope:)`` lane by lane: x < 0 ? α·x : x, and 0 where α = 0.
    func leaky(slope: Self) -> Self
    /// ``LeakyReLU/derivative(_:negative:zero:)`` lane by lane: 1 where x > 0, `negative`
    /// where x < 0, `zero` at ±0, and x itself where x is NaN.
    func slope(negative: Scalar, zero: Scalar) -> Self
    /// Stores `value` at a 64-byte aligned `address`, bypassing the caches.
    static func storeNonTemporal(_ value: Self, to address: UnsafeMutablePointer<Scalar>)
}

extension SIMD16: KernelVector where Scalar == Float {
    @inline(__always)
    var rectified: Self { rect_max_f16(Self(), self) }

    @inline(__always)
    func leaky(slope: Self) -> Self {
        replacing(with: (self * slope).replacing(with: 0, where: slope .== 0), where: self .< 0)
    }

    @inline(__always)
    func slope(negative: Float, zero: Float) -> Self {
        var slope = Self(repeating: zero)
        slope.replace(with: negative, where: self .< 0)
        slope.replace(with: 1, where: self .> 0)
        slope.replace(with: self, where: self .!= self)
        return slope
    }

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
    var rectified: Self { rect_max_d8(Self(), self) }

    @inline(__always)
    func leaky(slope: Self) -> Self {
        replacing(with: (self * slope).replacing(with: 0, where: slope .== 0), where: self .< 0)
    }

    @inline(__always)
    func slope(negative: Double, zero: Double) -> Self {
        var slope = Self(repeating: zero)
        slope.replace(with: negative, where: self .< 0)
        slope.replace(with: 1, where: self .> 0)
        slope.replace(with: self, where: self .!= self)
        return slope
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
