// Float lanes widened to Double and back, a blend by the sign bit and an approximate
// reciprocal, for the kernels that
// finish in Double (Activations/Kernels/WideLanes.swift). Written here because the same
// operations in Swift (the generic SIMD conversions, `replacing(with:where:)` on eight
// Double lanes) stay lane loops inside the long kernels.
#ifndef RECTIFIER_WIDE_LANES_H
#define RECTIFIER_WIDE_LANES_H

typedef long long rect_long8 __attribute__((ext_vector_type(8)));

/// The low eight lanes in Double.
static inline __attribute__((always_inline)) rect_double8 rect_widen_low_f16(rect_float16 x) {
    return __builtin_convertvector(x.lo, rect_double8);
}

/// The high eight lanes in Double.
static inline __attribute__((always_inline)) rect_double8 rect_widen_high_f16(rect_float16 x) {
    return __builtin_convertvector(x.hi, rect_double8);
}

/// Sixteen lanes rounded to Float (to nearest).
static inline __attribute__((always_inline)) rect_float16 rect_narrow_d8(rect_double8 low, rect_double8 high) {
    rect_float16 result;
    result.lo = __builtin_convertvector(low, rect_float8);
    result.hi = __builtin_convertvector(high, rect_float8);
    return result;
}

/// `negative` where the sign bit of x is set, `otherwise` elsewhere.
static inline __attribute__((always_inline)) rect_double8 rect_by_sign_d8(
    rect_double8 x, rect_double8 negative, rect_double8 otherwise) {
    rect_long8 mask = (rect_long8)x >> 63;
    return (rect_double8)(((rect_long8)negative & mask) | ((rect_long8)otherwise & ~mask));
}

/// An approximation of 1/x (relative error below 2^-14 with AVX-512; exact otherwise).
static inline __attribute__((always_inline)) rect_double8 rect_reciprocal_d8(rect_double8 x) {
#if defined(__AVX512F__)
    return (rect_double8)_mm512_rcp14_pd((__m512d)x);
#else
    return 1.0 / x;
#endif
}

#endif
