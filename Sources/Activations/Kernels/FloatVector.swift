/// The lane group of the Swift Float loops (the identity's copy and PReLU; every other Float
/// kernel is in CActivationKernels): sixteen floats, i.e. two AVX registers or one AVX-512
/// register.
typealias FloatVector = SIMD16<Float>

extension SIMD16 where Scalar == Float {
    /// |x| (clears the sign bit, also of NaN, as `Float.magnitude` does).
    @inline(__always)
    var magnitude: FloatVector {
        let bits = unsafeBitCast(self, to: SIMD16<Int32>.self) & SIMD16<Int32>(repeating: 0x7FFF_FFFF)
        return unsafeBitCast(bits, to: FloatVector.self)
    }
}
