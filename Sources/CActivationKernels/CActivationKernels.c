// The dispatched Float kernels: FloatLanes.h compiled once per instruction set, and the CPU
// check that picks one. The inline helpers of CActivationKernels.h need no source file.
#include "CActivationKernels.h"
#include "CActivationDispatch.h"

// Results must not depend on the instruction set: no a·b + c is fused unless written as an FMA.
#pragma STDC FP_CONTRACT OFF
// The sixteen-lane groups are passed between always-inline functions only, never across an ABI.
#pragma clang diagnostic ignored "-Wpsabi"

#define RECT_LEVEL 0
#define RECT_NAME(name) name##_baseline
#include "FloatLanes.h"
#undef RECT_NAME
#undef RECT_LEVEL

#if defined(__x86_64__)
#include <cpuid.h>

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define RECT_LEVEL 1
#define RECT_NAME(name) name##_avx2
#include "FloatLanes.h"
#undef RECT_NAME
#undef RECT_LEVEL
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), apply_to = function)
#define RECT_LEVEL 2
#define RECT_NAME(name) name##_avx512
#include "FloatLanes.h"
#undef RECT_NAME
#undef RECT_LEVEL
#pragma clang attribute pop

/// AVX2 + FMA with the YMM state saved by the OS; AVX-512 F/DQ/BW/VL with the ZMM state too.
static enum rect_instruction_set detect(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return rect_baseline;
    const unsigned fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (fma | osxsave | avx)) != (fma | osxsave | avx)) return rect_baseline;
    unsigned xcr0, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
    if ((xcr0 & 6u) != 6u) return rect_baseline;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !((ebx >> 5) & 1u)) return rect_baseline;
    const unsigned f = 1u << 16, dq = 1u << 17, bw = 1u << 30, vl = 1u << 31;
    if ((ebx & (f | dq | bw | vl)) != (f | dq | bw | vl) || (xcr0 & 0xE6u) != 0xE6u) return rect_avx2;
    return rect_avx512;
}
#else
static enum rect_instruction_set detect(void) { return rect_baseline; }
#endif

enum rect_instruction_set rect_best_instruction_set(void) {
    static int cached = -1;
    int set = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (set < 0) {
        set = (int)detect();
        __atomic_store_n(&cached, set, __ATOMIC_RELAXED);
    }
    return (enum rect_instruction_set)set;
}

const rect_float_kernels *rect_float_kernels_for(enum rect_instruction_set set) {
    if ((int)set < 0 || set > rect_best_instruction_set()) return 0;
    switch (set) {
    case rect_baseline: return &kernels_baseline;
#if defined(__x86_64__)
    case rect_avx2: return &kernels_avx2;
    case rect_avx512: return &kernels_avx512;
#endif
    default: return 0;
    }
}
