// The few vector instructions the Swift loops of the Activations kernels (the piecewise-linear
// Double kernels, the identity's copy, PReLU) need that Swift cannot express directly: a max
// that stays one instruction, non-temporal stores and a prefetch. Everything is `static inline`, so
// Swift inlines it into the kernels; targets without AVX/AVX2 get portable fallbacks with the
// same results.
#ifndef RECTIFIER_C_ACTIVATION_KERNELS_H
#define RECTIFIER_C_ACTIVATION_KERNELS_H

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "CActivationDispatch.h"

// Imported into Swift as SIMD16<Float> and SIMD8<Double>.
typedef float rect_float8 __attribute__((ext_vector_type(8)));
typedef float rect_float16 __attribute__((ext_vector_type(16)));
typedef double rect_double4 __attribute__((ext_vector_type(4)));
typedef double rect_double8 __attribute__((ext_vector_type(8)));

/// `a > b ? a : b` lane by lane, as x86's max: where either is NaN the result is `b`.
static inline __attribute__((always_inline)) rect_float16 rect_max_f16(rect_float16 a, rect_float16 b) {
#if defined(__AVX__)
    rect_float16 result;
    result.lo = (rect_float8)_mm256_max_ps((__m256)a.lo, (__m256)b.lo);
    result.hi = (rect_float8)_mm256_max_ps((__m256)a.hi, (__m256)b.hi);
    return result;
#else
    return a > b ? a : b;
#endif
}

/// `a > b ? a : b` lane by lane, as x86's max: where either is NaN the result is `b`.
static inline __attribute__((always_inline)) rect_double8 rect_max_d8(rect_double8 a, rect_double8 b) {
#if defined(__AVX__)
    rect_double8 result;
    result.lo = (rect_double4)_mm256_max_pd((__m256d)a.lo, (__m256d)b.lo);
    result.hi = (rect_double4)_mm256_max_pd((__m256d)a.hi, (__m256d)b.hi);
    return result;
#else
    return a > b ? a : b;
#endif
}

/// Stores 16 floats at a 64-byte aligned address, bypassing the caches.
static inline __attribute__((always_inline)) void rect_stream_f16(float *destination, rect_float16 value) {
    __builtin_nontemporal_store(value, (rect_float16 *)destination);
}

/// Stores 8 doubles at a 64-byte aligned address, bypassing the caches.
static inline __attribute__((always_inline)) void rect_stream_d8(double *destination, rect_double8 value) {
    __builtin_nontemporal_store(value, (rect_double8 *)destination);
}

/// Asks for the cache line at `address` ahead of its load (a hint: never faults).
static inline __attribute__((always_inline)) void rect_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Orders the non-temporal stores before any later store (they are weakly ordered).
static inline __attribute__((always_inline)) void rect_store_fence(void) {
#if defined(__SSE__)
    _mm_sfence();
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif
