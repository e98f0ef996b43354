// The Float GEMM tiles of inference, one copy per instruction set (GEMMTile.h), chosen once
// from the CPU's features.
#include "CGEMMKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// 2 = AVX-512 F (with the OS saving the ZMM and opmask state), 1 = AVX2 + FMA, 0 = neither;
// −1 until looked up.
static int cached = -1;

static int instruction_set(void) {
    if (cached >= 0) return cached;
    unsigned eax, ebx, ecx, edx, xcr0_low, xcr0_high;
    int level = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        const unsigned osxsave = 1u << 27, avx = 1u << 28, fma = 1u << 12;
        if ((ecx & (osxsave | avx | fma)) == (osxsave | avx | fma)) {
            __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
            if ((xcr0_low & 6u) == 6u && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)
                && ((ebx >> 5) & 1u)) {
                level = 1;
                if (((ebx >> 16) & 1u) && (xcr0_low & 0xE6u) == 0xE6u) level = 2;
            }
        }
    }
    cached = level;
    return level;
}

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define GEMM_NAME(name) avx2_##name
#define GEMM_LANES 8
#define GEMM_ROWS 6
#include "GEMMTile.h"
#undef GEMM_NAME
#undef GEMM_LANES
#undef GEMM_ROWS
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define GEMM_NAME(name) avx512_##name
#define GEMM_LANES 16
#define GEMM_ROWS 12
#include "GEMMTile.h"
#undef GEMM_NAME
#undef GEMM_LANES
#undef GEMM_ROWS
#pragma clang attribute pop

int rect_gemm_panel_width(void) {
    const int level = instruction_set();
    return level == 2 ? 32 : level == 1 ? 16 : 0;
}

void rect_gemm_packed(
    long m, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc)
{
    if (instruction_set() == 2) avx512_gemm(m, n, k, a, lda, packed, bias, relu, c, ldc);
    else avx2_gemm(m, n, k, a, lda, packed, bias, relu, c, ldc);
}

void rect_gemv(
    long n, long k, const float *x, const float *w, long ldw, const float *bias, int relu, float *y)
{
    if (instruction_set() == 2) avx512_gemv(n, k, x, w, ldw, bias, relu, y);
    else avx2_gemv(n, k, x, w, ldw, bias, relu, y);
}

#else
int rect_gemm_panel_width(void) { return 0; }
void rect_gemv(
    long n, long k, const float *x, const float *w, long ldw, const float *bias, int relu, float *y) {}
void rect_gemm_packed(
    long m, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc) {}
#endif

long rect_gemm_packed_count(long n, long k) {
    const long width = rect_gemm_panel_width();
    return width == 0 ? 0 : (n + width - 1) / width * width * k;
}

void rect_gemm_pack(const float *w, long n, long k, long ldw, float *packed) {
    const long width = rect_gemm_panel_width();
    if (width == 0) return;
    for (long j0 = 0; j0 < n; j0 += width) {
        float *panel = packed + j0 * k;
        for (long p = 0; p < k; p++)
            for (long j = 0; j < width; j++)
                panel[p * width + j] = j0 + j < n ? w[(j0 + j) * ldw + p] : 0;
    }
}
