// The AVX2 tiles of the 8-bit integer GEMM. Compiled for AVX2 by function attribute, so the
// target builds for any x86-64 (and for any other CPU, where only the CPU check remains);
// the caller checks cq_cpu_has_avx2() first.
#include "CQuantKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int cq_cpu_has_avx2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (osxsave | avx)) != (osxsave | avx)) return 0;
    // The OS must save the YMM state (XCR0 bits 1 and 2) or AVX registers are unusable.
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx >> 5) & 1u;
}

// Both int16 values of row `row`'s pair, broadcast to all eight 32-bit lanes (memcpy keeps
// the int16 → int32 reinterpretation free of aliasing questions; it compiles to vpbroadcastd).
__attribute__((target("avx2")))
static inline __m256i broadcast_pair(const int16_t *pairs, int row) {
    int32_t both;
    memcpy(&both, pairs + 2 * row, sizeof both);
    return _mm256_set1_epi32(both);
}

__attribute__((target("avx2")))
void cq_gemm_row_panel_avx2(
    const int16_t *packed_rows, const int16_t *packed_weights, int32_t *tile_out,
    ptrdiff_t pairs, ptrdiff_t panels)
{
    const ptrdiff_t stride = panels * CQ_TILE_COLUMNS;
    for (ptrdiff_t panel = 0; panel < panels; panel++) {
        const int16_t *w = packed_weights + panel * pairs * 2 * CQ_TILE_COLUMNS;
        const int16_t *a = packed_rows;
        // c<row><half>: row r of the tile, columns 0-7 (half 0) or 8-15 (half 1).
        __m256i c00 = _mm256_setzero_si256(), c01 = _mm256_setzero_si256();
        __m256i c10 = _mm256_setzero_si256(), c11 = _mm256_setzero_si256();
        __m256i c20 = _mm256_setzero_si256(), c21 = _mm256_setzero_si256();
        __m256i c30 = _mm256_setzero_si256(), c31 = _mm256_setzero_si256();
        __m256i c40 = _mm256_setzero_si256(), c41 = _mm256_setzero_si256();
        __m256i c50 = _mm256_setzero_si256(), c51 = _mm256_setzero_si256();
        for (ptrdiff_t t = 0; t < pairs; t++) {
            const __m256i w0 = _mm256_loadu_si256((const __m256i *)w);
            const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + 16));
            __m256i x;
            x = broadcast_pair(a, 0);
            c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, w0));
            c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, w1));
            x = broadcast_pair(a, 1);
            c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, w0));
            c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, w1));
            x = broadcast_pair(a, 2);
            c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, w0));
            c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, w1));
            x = broadcast_pair(a, 3);
            c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, w0));
            c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, w1));
            x = broadcast_pair(a, 4);
            c40 = _mm256_add_epi32(c40, _mm256_madd_epi16(x, w0));
            c41 = _mm256_add_epi32(c41, _mm256_madd_epi16(x, w1));
            x = broadcast_pair(a, 5);
            c50 = _mm256_add_epi32(c50, _mm256_madd_epi16(x, w0));
            c51 = _mm256_add_epi32(c51, _mm256_madd_epi16(x, w1));
            w += 2 * CQ_TILE_COLUMNS;
            a += 2 * CQ_TILE_ROWS;
        }
        int32_t *out = tile_out + panel * CQ_TILE_COLUMNS;
        _mm256_storeu_si256((__m256i *)(out + 0 * stride), c00);
        _mm256_storeu_si256((__m256i *)(out + 0 * stride + 8), c01);
        _mm256_storeu_si256((__m256i *)(out + 1 * stride), c10);
        _mm256_storeu_si256((__m256i *)(out + 1 * stride + 8), c11);
        _mm256_storeu_si256((__m256i *)(out + 2 * stride), c20);
        _mm256_storeu_si256((__m256i *)(out + 2 * stride + 8), c21);
        _mm256_storeu_si256((__m256i *)(out + 3 * stride), c30);
        _mm256_storeu_si256((__m256i *)(out + 3 * stride + 8), c31);
        _mm256_storeu_si256((__m256i *)(out + 4 * stride), c40);
        _mm256_storeu_si256((__m256i *)(out + 4 * stride + 8), c41);
        _mm256_storeu_si256((__m256i *)(out + 5 * stride), c50);
        _mm256_storeu_si256((__m256i *)(out + 5 * stride + 8), c51);
    }
}

// Four u8 codes of row `row`, broadcast to all eight 32-bit lanes.
__attribute__((target("avx2")))
static inline __m256i broadcast_quad(const uint8_t *quads, int row) {
    int32_t four;
    memcpy(&four, quads + 4 * row, sizeof four);
    return _mm256_set1_epi32(four);
}

// Four codes times four weights per lane: vpmaddubsw (pairs, in int16, exact here because
// |w| ≤ 64) then vpmaddwd with ones (pairs of pairs, in int32).
__attribute__((target("avx2")))
static inline __m256i dot4(__m256i codes, __m256i weights, __m256i ones) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(codes, weights), ones);
}

__attribute__((target("avx2")))
void cq_gemm_row_panel_u8s8_avx2(
    const uint8_t *packed_rows, const int8_t *packed_weights, int32_t *tile_out,
    ptrdiff_t quads, ptrdiff_t panels)
{
    const ptrdiff_t stride = panels * CQ_TILE_COLUMNS;
    const __m256i ones = _mm256_set1_epi16(1);
    for (ptrdiff_t panel = 0; panel < panels; panel++) {
        const int8_t *w = packed_weights + panel * quads * 4 * CQ_TILE_COLUMNS;
        const uint8_t *a = packed_rows;
        __m256i c00 = _mm256_setzero_si256(), c01 = _mm256_setzero_si256();
        __m256i c10 = _mm256_setzero_si256(), c11 = _mm256_setzero_si256();
        __m256i c20 = _mm256_setzero_si256(), c21 = _mm256_setzero_si256();
        __m256i c30 = _mm256_setzero_si256(), c31 = _mm256_setzero_si256();
        __m256i c40 = _mm256_setzero_si256(), c41 = _mm256_setzero_si256();
        __m256i c50 = _mm256_setzero_si256(), c51 = _mm256_setzero_si256();
        for (ptrdiff_t t = 0; t < quads; t++) {
            const __m256i w0 = _mm256_loadu_si256((const __m256i *)w);
            const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + 32));
            __m256i x;
            x = broadcast_quad(a, 0);
            c00 = _mm256_add_epi32(c00, dot4(x, w0, ones));
            c01 = _mm256_add_epi32(c01, dot4(x, w1, ones));
            x = broadcast_quad(a, 1);
            c10 = _mm256_add_epi32(c10, dot4(x, w0, ones));
            c11 = _mm256_add_epi32(c11, dot4(x, w1, ones));
            x = broadcast_quad(a, 2);
            c20 = _mm256_add_epi32(c20, dot4(x, w0, ones));
            c21 = _mm256_add_epi32(c21, dot4(x, w1, ones));
            x = broadcast_quad(a, 3);
            c30 = _mm256_add_epi32(c30, dot4(x, w0, ones));
            c31 = _mm256_add_epi32(c31, dot4(x, w1, ones));
            x = broadcast_quad(a, 4);
            c40 = _mm256_add_epi32(c40, dot4(x, w0, ones));
            c41 = _mm256_add_epi32(c41, dot4(x, w1, ones));
            x = broadcast_quad(a, 5);
            c50 = _mm256_add_epi32(c50, dot4(x, w0, ones));
            c51 = _mm256_add_epi32(c51, dot4(x, w1, ones));
            w += 4 * CQ_TILE_COLUMNS;
            a += 4 * CQ_TILE_ROWS;
        }
        int32_t *out = tile_out + panel * CQ_TILE_COLUMNS;
        _mm256_storeu_si256((__m256i *)(out + 0 * stride), c00);
        _mm256_storeu_si256((__m256i *)(out + 0 * stride + 8), c01);
        _mm256_storeu_si256((__m256i *)(out + 1 * stride), c10);
        _mm256_storeu_si256((__m256i *)(out + 1 * stride + 8), c11);
        _mm256_storeu_si256((__m256i *)(out + 2 * stride), c20);
        _mm256_storeu_si256((__m256i *)(out + 2 * stride + 8), c21);
        _mm256_storeu_si256((__m256i *)(out + 3 * stride), c30);
        _mm256_storeu_si256((__m256i *)(out + 3 * stride + 8), c31);
        _mm256_storeu_si256((__m256i *)(out + 4 * stride), c40);
        _mm256_storeu_si256((__m256i *)(out + 4 * stride + 8), c41);
        _mm256_storeu_si256((__m256i *)(out + 5 * stride), c50);
        _mm256_storeu_si256((__m256i *)(out + 5 * stride + 8), c51);
    }
}

// One row: `width` panels (1…4) at a time, two accumulators per panel, one broadcast per group
// of k shared by all of them. `product(x, w)` is the group's multiply-add into int32 lanes.
#define CQ_GEMV_BODY(WEIGHT_T, GROUP_VALUES, BROADCAST, PRODUCT)                                 \
    const ptrdiff_t panel_values = groups * GROUP_VALUES * CQ_TILE_COLUMNS;                     \
    for (ptrdiff_t panel = 0; panel < panels; panel += 4) {                                     \
        const ptrdiff_t width = panels - panel < 4 ? panels - panel : 4;                        \
        const WEIGHT_T *w = packed_weights + panel * panel_values;                              \
        __m256i s[8];                                                                           \
        for (int i = 0; i < 8; i++) s[i] = _mm256_setzero_si256();                              \
        if (width == 4) {                                                                       \
            for (ptrdiff_t t = 0; t < groups; t++) {                                            \
                const __m256i x = BROADCAST(row, t);                                            \
                const WEIGHT_T *g = w + t * GROUP_VALUES * CQ_TILE_COLUMNS;                     \
                for (int i = 0; i < 8; i++) {                                                   \
                    const __m256i v = _mm256_loadu_si256(                                       \
                        (const __m256i *)(g + (i / 2) * panel_values + (i % 2) * 8 * GROUP_VALUES)); \
                    s[i] = _mm256_add_epi32(s[i], PRODUCT(x, v));                               \
                }                                                                               \
            }                                                                                   \
        } else {                                                                                \
            for (ptrdiff_t t = 0; t < groups; t++) {                                            \
                const __m256i x = BROADCAST(row, t);                                            \
                const WEIGHT_T *g = w + t * GROUP_VALUES * CQ_TILE_COLUMNS;                     \
                for (int i = 0; i < 2 * width; i++) {                                           \
                    const __m256i v = _mm256_loadu_si256(                                       \
                        (const __m256i *)(g + (i / 2) * panel_values + (i % 2) * 8 * GROUP_VALUES)); \
                    s[i] = _mm256_add_epi32(s[i], PRODUCT(x, v));                               \
                }                                                                               \
            }                                                                                   \
        }                                                                                       \
        for (int i = 0; i < 2 * width; i++)                                                     \
            _mm256_storeu_si256((__m256i *)(out + panel * CQ_TILE_COLUMNS + 8 * i), s[i]);      \
    }

__attribute__((target("avx2")))
static inline __m256i madd_pair(__m256i x, __m256i w) { return _mm256_madd_epi16(x, w); }

__attribute__((target("avx2")))
void cq_gemv_pairs_avx2(
    const int16_t *row, const int16_t *packed_weights, int32_t *out, ptrdiff_t groups,
    ptrdiff_t panels)
{
    CQ_GEMV_BODY(int16_t, 2, broadcast_pair, madd_pair)
}

__attribute__((target("avx2")))
static inline __m256i dot4_ones(__m256i x, __m256i w) {
    return dot4(x, w, _mm256_set1_epi16(1));
}

__attribute__((target("avx2")))
void cq_gemv_quads_avx2(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t groups,
    ptrdiff_t panels)
{
    CQ_GEMV_BODY(int8_t, 4, broadcast_quad, dot4_ones)
}

#else

int cq_cpu_has_avx2(void) { return 0; }

void cq_gemm_row_panel_avx2(
    const int16_t *packed_rows, const int16_t *packed_weights, int32_t *tile_out,
    ptrdiff_t pairs, ptrdiff_t panels)
{
    (void)packed_rows; (void)packed_weights; (void)tile_out; (void)pairs; (void)panels;
    __builtin_trap();
}

void cq_gemm_row_panel_u8s8_avx2(
    const uint8_t *packed_rows, const int8_t *packed_weights, int32_t *tile_out,
    ptrdiff_t quads, ptrdiff_t panels)
{
    (void)packed_rows; (void)packed_weights; (void)tile_out; (void)quads; (void)panels;
    __builtin_trap();
}

void cq_gemv_pairs_avx2(
    const int16_t *row, const int16_t *packed_weights, int32_t *out, ptrdiff_t pairs,
    ptrdiff_t panels)
{
    (void)row; (void)packed_weights; (void)out; (void)pairs; (void)panels;
    __builtin_trap();
}

void cq_gemv_quads_avx2(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t quads,
    ptrdiff_t panels)
{
    (void)row; (void)packed_weights; (void)out; (void)quads; (void)panels;
    __builtin_trap();
}

#endif
