// The AVX2 and AVX-512 VNNI tiles of the 8-bit integer GEMM. Compiled for their instruction
// sets by function attribute, so the target builds for any x86-64 (and for any other CPU,
// where only the CPU checks remain); the caller checks cq_cpu_has_avx2() or
// cq_cpu_has_avx512_vnni() first.
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

int cq_cpu_has_avx2_fma(void) {
    unsigned eax, ebx, ecx, edx;
    if (!cq_cpu_has_avx2() || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx >> 12) & 1u;
}

int cq_cpu_has_avx512_vnni(void) {
    unsigned eax, ebx, ecx, edx;
    if (!cq_cpu_has_avx2() || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned f = 1u << 16, bw = 1u << 30, vl = 1u << 31, vnni = 1u << 11;
    if ((ebx & (f | bw | vl)) != (f | bw | vl) || !(ecx & vnni)) return 0;
    // The OS must also save the opmask and upper ZMM state (XCR0 bits 5, 6 and 7).
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    return (xcr0_low & 0xE6u) == 0xE6u;
}

// One value of cq_quantize_f32_avx2, for the tail: the same operations in scalar form.
__attribute__((target("avx2,fma")))
static inline int quantize_one(float x, uint8_t *out, float scale, float inverse, float zero) {
    const float r = __builtin_rintf(x * inverse);
    float code = r + zero;
    code = code > 0 ? (code < 255 ? code : 255) : 0;
    *out = (uint8_t)(int)code;
    const float above_lower = __builtin_fmaf(0.5f - r, scale, x);
    const float below_upper = __builtin_fmaf(-0.5f - r, scale, x);
    const int outside = !(above_lower > 0) | !(below_upper < 0);
    return outside & !(__builtin_fabsf(x * inverse) >= 1024);
}

__attribute__((target("avx2,fma")))
int cq_quantize_f32_avx2(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point)
{
    const __m256 inv = _mm256_set1_ps(inverse), sc = _mm256_set1_ps(scale);
    const __m256 zero = _mm256_set1_ps(zero_point), top = _mm256_set1_ps(255);
    const __m256 half = _mm256_set1_ps(0.5f), limit = _mm256_set1_ps(1024);
    const __m256 sign = _mm256_set1_ps(-0.0f), none = _mm256_setzero_ps();
    // Lane order after the two in-lane packs: 0 1 2 3 | 8 9 10 11 | 4 5 6 7 | 12 13 14 15 ...
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256 doubt = _mm256_setzero_ps();
    ptrdiff_t i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256i c[4];
        for (int v = 0; v < 4; v++) {
            const __m256 xs = _mm256_loadu_ps(x + i + 8 * v);
            const __m256 q = _mm256_mul_ps(xs, inv);
            const __m256 r = _mm256_round_ps(q, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            // minps/maxps return their second operand when one is NaN: min(255, NaN) keeps
            // the NaN and max(NaN, 0) gives 0, as the scalar path does; NaN is flagged below.
            const __m256 code = _mm256_max_ps(_mm256_min_ps(top, _mm256_add_ps(r, zero)), none);
            c[v] = _mm256_cvtps_epi32(code);
            const __m256 above_lower = _mm256_fmadd_ps(_mm256_sub_ps(half, r), sc, xs);
            const __m256 below_upper = _mm256_fmadd_ps(_mm256_sub_ps(_mm256_xor_ps(half, sign), r), sc, xs);
            // Doubt where not (above_lower > 0 and below_upper < 0) and |q| is not ≥ 1024
            // (unordered comparisons: NaN is in doubt).
            const __m256 inside = _mm256_and_ps(
                _mm256_cmp_ps(above_lower, none, _CMP_GT_OQ), _mm256_cmp_ps(below_upper, none, _CMP_LT_OQ));
            const __m256 saturated = _mm256_cmp_ps(_mm256_andnot_ps(sign, q), limit, _CMP_GE_OQ);
            doubt = _mm256_or_ps(doubt, _mm256_andnot_ps(_mm256_or_ps(inside, saturated), _mm256_castsi256_ps(_mm256_set1_epi32(-1))));
        }
        const __m256i words = _mm256_packs_epi32(c[0], c[1]);    // 0-3 8-11 | 4-7 12-15
        const __m256i words2 = _mm256_packs_epi32(c[2], c[3]);   // 16-19 24-27 | 20-23 28-31
        const __m256i bytes = _mm256_packus_epi16(words, words2); // 0-3 8-11 16-19 24-27 | 4-7 12-15 20-23 28-31
        _mm256_storeu_si256((__m256i *)(out + i), _mm256_permutevar8x32_epi32(bytes, order));
    }
    int any = _mm256_movemask_ps(doubt) != 0;
    for (; i < count; i++) any |= quantize_one(x[i], out + i, scale, inverse, zero_point);
    return any;
}

// floor((a·m + 2^(e−1)) / 2^e) for one accumulator, as the vector lanes compute it.
static inline int32_t requantize_one(int32_t a, int32_t m, int32_t e) {
    const uint64_t product = (uint64_t)((int64_t)a * (int64_t)m);
    const uint64_t shifted = (product + (1ull << 62) + (1ull << (e - 1))) >> e;
    return (int32_t)((uint32_t)shifted - (uint32_t)((1ull << 62) >> e));
}

// The low 32 bits of ((p + 2^62 + 2^(e−1)) >>> e) − (2^62 >> e) in each 64-bit lane, where
// p = a·m of the lanes' low (even) 32-bit halves and e the low halves of `e64`.
__attribute__((target("avx2")))
static inline __m256i requantize_even(__m256i a, __m256i m, __m256i e64) {
    const __m256i base = _mm256_set1_epi64x(1ll << 62), one = _mm256_set1_epi64x(1);
    const __m256i product = _mm256_mul_epi32(a, m);
    const __m256i offset = _mm256_add_epi64(base, _mm256_sllv_epi64(one, _mm256_sub_epi64(e64, one)));
    const __m256i shifted = _mm256_srlv_epi64(_mm256_add_epi64(product, offset), e64);
    return _mm256_sub_epi64(shifted, _mm256_srlv_epi64(base, e64));
}

// Eight units: v = floor((a·m + 2^(e−1)) / 2^e) in 32-bit lanes.
__attribute__((target("avx2")))
static inline __m256i requantize_lanes(__m256i a, __m256i m, __m256i e) {
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFll);
    const __m256i even = requantize_even(a, m, _mm256_and_si256(e, low));
    const __m256i odd = requantize_even(
        _mm256_srli_epi64(a, 32), _mm256_srli_epi64(m, 32), _mm256_srli_epi64(e, 32));
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

__attribute__((target("avx2")))
void cq_requantize_row_avx2(
    const int32_t *accumulators, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes)
{
    const int sides_differ = r->sides_differ;
    const __m256i zero = _mm256_set1_epi32(r->zero_point), floor = _mm256_set1_epi32(r->lower_clamp);
    const __m256i top = _mm256_set1_epi32(255), nothing = _mm256_setzero_si256();
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    ptrdiff_t j = 0;
    for (; j + 8 <= units; j += 8) {
#define CQ_LOAD(p) _mm256_loadu_si256((const __m256i *)((p) + j))
        __m256i a = _mm256_add_epi32(CQ_LOAD(accumulators), CQ_LOAD(bias));
        a = _mm256_min_epi32(_mm256_max_epi32(a, CQ_LOAD(r->lower)), CQ_LOAD(r->upper));
        __m256i v = requantize_lanes(a, CQ_LOAD(r->positive_multiplier), CQ_LOAD(r->positive_shift));
        if (sides_differ) {
            const __m256i down = requantize_lanes(
                a, CQ_LOAD(r->negative_multiplier), CQ_LOAD(r->negative_shift));
            v = _mm256_blendv_epi8(v, down, _mm256_cmpgt_epi32(nothing, a));
        }
#undef CQ_LOAD
        v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, zero), floor), top);
        // 32 → 16 → 8 bits in each 128-bit half, then the two halves' first four bytes together.
        const __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(v, v), nothing);
        _mm_storel_epi64((__m128i *)(codes + j),
                         _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(bytes, order)));
    }
    for (; j < units; j++) {
        int32_t a = (int32_t)((uint32_t)accumulators[j] + (uint32_t)bias[j]);  // wrapping
        a = a < r->lower[j] ? r->lower[j] : (a > r->upper[j] ? r->upper[j] : a);
        const int32_t v = a < 0 && sides_differ
            ? requantize_one(a, r->negative_multiplier[j], r->negative_shift[j])
            : requantize_one(a, r->positive_multiplier[j], r->positive_shift[j]);
        int32_t code = v + r->zero_point;
        code = code < r->lower_clamp ? r->lower_clamp : (code > 255 ? 255 : code);
        codes[j] = (uint8_t)code;
    }
    if (r->table)
        for (ptrdiff_t k = 0; k < units; k++) codes[k] = r->table[codes[k]];
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

#define CQ_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Four u8 codes of row `row`, broadcast to all sixteen 32-bit lanes.
CQ_VNNI static inline __m512i broadcast_quad512(const uint8_t *quads, int row) {
    int32_t four;
    memcpy(&four, quads + 4 * row, sizeof four);
    return _mm512_set1_epi32(four);
}

// Panels [panel, panel + WIDTH) of one row; even and odd quads go to separate accumulators so
// that 2·WIDTH dependency chains hide vpdpbusd's latency. WIDTH is a constant in each
// instance, so the accumulators stay in registers.
#define CQ_GEMV_VNNI_PANELS(WIDTH)                                                              \
    {                                                                                           \
        const int8_t *w = packed_weights + panel * panel_values;                                \
        __m512i even[WIDTH], odd[WIDTH];                                                        \
        for (int i = 0; i < WIDTH; i++) even[i] = odd[i] = _mm512_setzero_si512();              \
        ptrdiff_t t = 0;                                                                        \
        for (; t + 2 <= quads; t += 2) {                                                        \
            const __m512i x0 = broadcast_quad512(row, (int)t);                                  \
            const __m512i x1 = broadcast_quad512(row, (int)t + 1);                              \
            const int8_t *g = w + t * 4 * CQ_TILE_COLUMNS;                                      \
            for (int i = 0; i < WIDTH; i++) {                                                   \
                even[i] = _mm512_dpbusd_epi32(                                                  \
                    even[i], x0, _mm512_loadu_si512((const void *)(g + i * panel_values)));     \
                odd[i] = _mm512_dpbusd_epi32(odd[i], x1, _mm512_loadu_si512(                    \
                    (const void *)(g + i * panel_values + 4 * CQ_TILE_COLUMNS)));               \
            }                                                                                   \
        }                                                                                       \
        if (t < quads) {                                                                        \
            const __m512i x0 = broadcast_quad512(row, (int)t);                                  \
            const int8_t *g = w + t * 4 * CQ_TILE_COLUMNS;                                      \
            for (int i = 0; i < WIDTH; i++)                                                     \
                even[i] = _mm512_dpbusd_epi32(                                                  \
                    even[i], x0, _mm512_loadu_si512((const void *)(g + i * panel_values)));     \
        }                                                                                       \
        for (int i = 0; i < WIDTH; i++)                                                         \
            _mm512_storeu_si512((void *)(out + (panel + i) * CQ_TILE_COLUMNS),                  \
                                _mm512_add_epi32(even[i], odd[i]));                             \
    }

CQ_VNNI
void cq_gemv_quads_vnni(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t quads,
    ptrdiff_t panels)
{
    const ptrdiff_t panel_values = quads * 4 * CQ_TILE_COLUMNS;
    ptrdiff_t panel = 0;
    for (; panel + 4 <= panels; panel += 4) CQ_GEMV_VNNI_PANELS(4)
    for (; panel < panels; panel++) CQ_GEMV_VNNI_PANELS(1)
}

// One 16-lane requantisation step of cq_dense_u8s8_vnni: the low 32 bits of
// ((p + 2^62 + 2^(e−1)) >>> e) − (2^62 >> e) in each 64-bit lane, p = a·m of the even halves.
CQ_VNNI static inline __m512i requantize_even512(__m512i a, __m512i m, __m512i e64) {
    const __m512i base = _mm512_set1_epi64(1ll << 62), one = _mm512_set1_epi64(1);
    const __m512i product = _mm512_mul_epi32(a, m);
    const __m512i offset = _mm512_add_epi64(base, _mm512_sllv_epi64(one, _mm512_sub_epi64(e64, one)));
    const __m512i shifted = _mm512_srlv_epi64(_mm512_add_epi64(product, offset), e64);
    return _mm512_sub_epi64(shifted, _mm512_srlv_epi64(base, e64));
}

// Sixteen units: floor((a·m + 2^(e−1)) / 2^e) in 32-bit lanes.
CQ_VNNI static inline __m512i requantize_lanes512(__m512i a, __m512i m, __m512i e) {
    const __m512i even = requantize_even512(a, m, _mm512_and_si512(e, _mm512_set1_epi64(0xFFFFFFFFll)));
    const __m512i odd = requantize_even512(
        _mm512_srli_epi64(a, 32), _mm512_srli_epi64(m, 32), _mm512_srli_epi64(e, 32));
    return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

// Rows [0, count) of a 6-row tile over column panels [panel, panel + WIDTH), WIDTH 1 or 2,
// then the epilogue while the sums are in registers.
CQ_VNNI static inline __attribute__((always_inline)) void dense_tile_vnni(
    const uint8_t *const row[CQ_TILE_ROWS], const int32_t tail[CQ_TILE_ROWS], int count,
    ptrdiff_t whole, int has_tail, const int8_t *packed_weights, ptrdiff_t panel_values,
    ptrdiff_t panel, const int WIDTH, const int32_t *bias, const cq_requantizer *r,
    ptrdiff_t units, uint8_t *codes, int32_t *sums)
{
    const int8_t *w = packed_weights + panel * panel_values;
    __m512i c[2 * CQ_TILE_ROWS];
    for (int i = 0; i < 2 * CQ_TILE_ROWS; i++) c[i] = _mm512_setzero_si512();
    for (ptrdiff_t t = 0; t < whole; t++) {
        const __m512i w0 = _mm512_loadu_si512((const void *)w);
        const __m512i w1 = WIDTH == 2 ? _mm512_loadu_si512((const void *)(w + panel_values)) : w0;
        for (int k = 0; k < CQ_TILE_ROWS; k++) {
            int32_t four;
            memcpy(&four, row[k] + 4 * t, sizeof four);
            const __m512i x = _mm512_set1_epi32(four);
            c[2 * k] = _mm512_dpbusd_epi32(c[2 * k], x, w0);
            if (WIDTH == 2) c[2 * k + 1] = _mm512_dpbusd_epi32(c[2 * k + 1], x, w1);
        }
        w += 4 * CQ_TILE_COLUMNS;
    }
    if (has_tail) {
        const __m512i w0 = _mm512_loadu_si512((const void *)w);
        const __m512i w1 = WIDTH == 2 ? _mm512_loadu_si512((const void *)(w + panel_values)) : w0;
        for (int k = 0; k < CQ_TILE_ROWS; k++) {
            const __m512i x = _mm512_set1_epi32(tail[k]);
            c[2 * k] = _mm512_dpbusd_epi32(c[2 * k], x, w0);
            if (WIDTH == 2) c[2 * k + 1] = _mm512_dpbusd_epi32(c[2 * k + 1], x, w1);
        }
    }
    for (int p = 0; p < WIDTH; p++) {
        const ptrdiff_t first = (panel + p) * CQ_TILE_COLUMNS;
        if (first >= units) break;
        const ptrdiff_t valid = units - first < CQ_TILE_COLUMNS ? units - first : CQ_TILE_COLUMNS;
        const __mmask16 mask = (__mmask16)((1u << valid) - 1u);
#define CQ_LOAD512(p) _mm512_maskz_loadu_epi32(mask, (p) + first)
        const __m512i b = bias ? CQ_LOAD512(bias) : _mm512_setzero_si512();
        if (!r) {
            for (int k = 0; k < count; k++)
                _mm512_mask_storeu_epi32(sums + k * units + first, mask, _mm512_add_epi32(c[2 * k + p], b));
            continue;
        }
        const __m512i lower = CQ_LOAD512(r->lower), upper = CQ_LOAD512(r->upper);
        const __m512i pm = CQ_LOAD512(r->positive_multiplier), pe = CQ_LOAD512(r->positive_shift);
        const __m512i nm = CQ_LOAD512(r->negative_multiplier), ne = CQ_LOAD512(r->negative_shift);
#undef CQ_LOAD512
        const __m512i zero = _mm512_set1_epi32(r->zero_point), floor = _mm512_set1_epi32(r->lower_clamp);
        const __m512i top = _mm512_set1_epi32(255);
        for (int k = 0; k < count; k++) {
            __m512i a = _mm512_add_epi32(c[2 * k + p], b);
            a = _mm512_min_epi32(_mm512_max_epi32(a, lower), upper);
            __m512i v = requantize_lanes512(a, pm, pe);
            if (r->sides_differ) {
                const __mmask16 negative = _mm512_cmplt_epi32_mask(a, _mm512_setzero_si512());
                v = _mm512_mask_mov_epi32(v, negative, requantize_lanes512(a, nm, ne));
            }
            v = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(v, zero), floor), top);
            uint8_t *out = codes + k * units + first;
            _mm_mask_storeu_epi8(out, mask, _mm512_cvtepi32_epi8(v));
            if (r->table)
                for (ptrdiff_t j = 0; j < valid; j++) out[j] = r->table[out[j]];
        }
    }
}

CQ_VNNI
void cq_dense_u8s8_vnni(
    const uint8_t *input, ptrdiff_t rows, ptrdiff_t inputs, const int8_t *packed_weights,
    ptrdiff_t panels, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes, int32_t *sums)
{
    const ptrdiff_t whole = inputs / 4, quads = (inputs + 3) / 4;
    const ptrdiff_t panel_values = quads * 4 * CQ_TILE_COLUMNS;
    const int has_tail = quads > whole;
    for (ptrdiff_t first = 0; first < rows; first += CQ_TILE_ROWS) {
        const int count = rows - first < CQ_TILE_ROWS ? (int)(rows - first) : CQ_TILE_ROWS;
        // Missing rows read the first row again; their sums are never stored.
        const uint8_t *row[CQ_TILE_ROWS];
        int32_t tail[CQ_TILE_ROWS] = {0};
        for (int k = 0; k < CQ_TILE_ROWS; k++) {
            row[k] = input + (first + (k < count ? k : 0)) * inputs;
            if (has_tail) memcpy(&tail[k], row[k] + 4 * whole, (size_t)(inputs - 4 * whole));
        }
        uint8_t *code_rows = r ? codes + first * units : NULL;
        int32_t *sum_rows = r ? NULL : sums + first * units;
        ptrdiff_t panel = 0;
        for (; panel + 2 <= panels; panel += 2)
            dense_tile_vnni(row, tail, count, whole, has_tail, packed_weights, panel_values, panel, 2,
                            bias, r, units, code_rows, sum_rows);
        if (panel < panels)
            dense_tile_vnni(row, tail, count, whole, has_tail, packed_weights, panel_values, panel, 1,
                            bias, r, units, code_rows, sum_rows);
    }
}

// cq_quantize_f32_avx2's arithmetic in sixteen lanes, the tail under a mask.
CQ_VNNI static inline __mmask16 quantize16(
    const float *x, uint8_t *out, __mmask16 mask, __m512 inv, __m512 sc, __m512 zero)
{
    const __m512 xs = _mm512_maskz_loadu_ps(mask, x);
    const __m512 q = _mm512_mul_ps(xs, inv);
    const __m512 r = _mm512_roundscale_ps(q, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // As in the AVX2 kernel: min(255, NaN) keeps the NaN, max(NaN, 0) gives 0.
    const __m512 code = _mm512_max_ps(_mm512_min_ps(_mm512_set1_ps(255), _mm512_add_ps(r, zero)),
                                      _mm512_setzero_ps());
    _mm_mask_storeu_epi8(out, mask, _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(code)));
    const __m512 above_lower = _mm512_fmadd_ps(_mm512_sub_ps(_mm512_set1_ps(0.5f), r), sc, xs);
    const __m512 below_upper = _mm512_fmadd_ps(_mm512_sub_ps(_mm512_set1_ps(-0.5f), r), sc, xs);
    const __mmask16 inside = _mm512_cmp_ps_mask(above_lower, _mm512_setzero_ps(), _CMP_GT_OQ)
                           & _mm512_cmp_ps_mask(below_upper, _mm512_setzero_ps(), _CMP_LT_OQ);
    const __mmask16 saturated = _mm512_cmp_ps_mask(_mm512_abs_ps(q), _mm512_set1_ps(1024), _CMP_GE_OQ);
    return (__mmask16)(mask & ~(inside | saturated));
}

CQ_VNNI
int cq_quantize_f32_avx512(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point)
{
    const __m512 inv = _mm512_set1_ps(inverse), sc = _mm512_set1_ps(scale);
    const __m512 zero = _mm512_set1_ps(zero_point);
    __mmask16 doubt = 0;
    ptrdiff_t i = 0;
    for (; i + 16 <= count; i += 16) doubt |= quantize16(x + i, out + i, 0xFFFF, inv, sc, zero);
    if (i < count)
        doubt |= quantize16(x + i, out + i, (__mmask16)((1u << (count - i)) - 1u), inv, sc, zero);
    return doubt != 0;
}

#else

int cq_cpu_has_avx2(void) { return 0; }

void cq_requantize_row_avx2(
    const int32_t *accumulators, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes)
{
    (void)accumulators; (void)bias; (void)r; (void)units; (void)codes;
    __builtin_trap();
}

void cq_dense_u8s8_vnni(
    const uint8_t *input, ptrdiff_t rows, ptrdiff_t inputs, const int8_t *packed_weights,
    ptrdiff_t panels, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes, int32_t *sums)
{
    (void)input; (void)rows; (void)inputs; (void)packed_weights; (void)panels; (void)bias;
    (void)r; (void)units; (void)codes; (void)sums;
    __builtin_trap();
}

int cq_quantize_f32_avx512(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point)
{
    (void)x; (void)out; (void)count; (void)scale; (void)inverse; (void)zero_point;
    __builtin_trap();
}

int cq_cpu_has_avx2_fma(void) { return 0; }

int cq_cpu_has_avx512_vnni(void) { return 0; }

void cq_gemv_quads_vnni(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t quads,
    ptrdiff_t panels)
{
    (void)row; (void)packed_weights; (void)out; (void)quads; (void)panels;
    __builtin_trap();
}

int cq_quantize_f32_avx2(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point)
{
    (void)x; (void)out; (void)count; (void)scale; (void)inverse; (void)zero_point;
    __builtin_trap();
}

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
