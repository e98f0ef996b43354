// The instruction-level kernels Swift cannot reach: the exact 8-bit integer GEMM tiles on AVX2
// (`vpmaddwd` = _mm256_madd_epi16, `vpmaddubsw` = _mm256_maddubs_epi16), the whole dense layer
// on AVX-512 VNNI (`vpdpbusd`, with its requantisation epilogue), input quantisation and
// requantisation. Blocking, threads and the portable path live in the Swift module
// `Quantization`.
#ifndef CQUANTKERNELS_H
#define CQUANTKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows and columns of one register tile.
enum { CQ_TILE_ROWS = 6, CQ_TILE_COLUMNS = 16 };

/// 1 when this CPU and its operating system run AVX2 code, 0 otherwise.
int cq_cpu_has_avx2(void);

/// 1 when this CPU also has FMA3 (every AVX2 CPU made so far does), 0 otherwise.
int cq_cpu_has_avx2_fma(void);

/// 1 when this CPU and its operating system run AVX-512 code with the F, BW, VL and VNNI
/// extensions (Intel Ice Lake and later, AMD Zen 4 and later), 0 otherwise.
int cq_cpu_has_avx512_vnni(void);

/// Float values to uint8 codes by the reciprocal, eight lanes at a time:
///
///     r = roundTiesToEven(x[i] · inverse),   out[i] = clamp(r + zero_point, 0, 255)
///
/// Returns 1 when some code may differ from the one of the exact quotient x / scale: x is not
/// strictly inside ((r − ½)·scale, (r + ½)·scale) by two fused multiply-adds, or x is NaN
/// (|x·inverse| ≥ 1024 saturates either way and is never in doubt). The caller redoes such
/// values exactly; 0 means every code written is exact. Must only be called when
/// cq_cpu_has_avx2_fma() returns 1.
int cq_quantize_f32_avx2(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point);

/// cq_quantize_f32_avx2 in sixteen lanes (the tail under a mask): the same codes and the same
/// answer. Must only be called when cq_cpu_has_avx512_vnni() returns 1.
int cq_quantize_f32_avx512(
    const float *x, uint8_t *out, ptrdiff_t count, float scale, float inverse, float zero_point);

/// The per-unit constants of one row's requantisation (arrays of `units` entries). Each side
/// (accumulators ≥ 0, < 0) has a multiplier m and a right shift e in 1…62; `lower`/`upper`
/// bound the accumulator where the code saturates anyway (see the Swift `Requantizer`).
typedef struct {
    const int32_t *lower, *upper;
    const int32_t *positive_multiplier, *positive_shift;
    const int32_t *negative_multiplier, *negative_shift;
    int32_t zero_point, lower_clamp;
    /// 0 when both sides have the same multipliers (only the positive ones are read).
    int32_t sides_differ;
    /// 256 entries applied to each clamped code, or NULL.
    const uint8_t *table;
} cq_requantizer;

/// One row of codes from int32 accumulators, eight units per step:
///
///     a = clamp(acc[j] + bias[j], lower[j], upper[j])
///     v = floor((a·m + 2^(e−1)) / 2^e)          (m, e of the side of a's sign)
///     code[j] = table[clamp(zero_point + v, lower_clamp, 255)]
///
/// the product exact in 64 bits and the floor computed as `((a·m + 2^62 + 2^(e−1)) >>> e) −
/// (2^62 >> e)` with AVX2's logical `vpsrlvq` (2^62 is a multiple of 2^e). Bit for bit the
/// Swift reference. Must only be called when cq_cpu_has_avx2() returns 1.
void cq_requantize_row_avx2(
    const int32_t *accumulators, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes);

/// One row panel times every column panel, exact in int32 (wrapping on overflow):
///
///     C[r][16p + c] = sum_t A[t][r][0]·W[p][t][c][0] + A[t][r][1]·W[p][t][c][1]
///
/// `packed_rows` is [pairs][6][2] int16 (six rows, two consecutive k per entry);
/// `packed_weights` is [panels][pairs][16][2] int16; `tile_out` receives [6][panels·16]
/// int32, row stride `panels·16`. Products of two int16 values whose pair sum fits in int32
/// (8-bit inputs widened to 16 bits always do) are exact: `vpmaddwd` does not saturate.
/// Must only be called when cq_cpu_has_avx2() returns 1.
void cq_gemm_row_panel_avx2(
    const int16_t *packed_rows, const int16_t *packed_weights, int32_t *tile_out,
    ptrdiff_t pairs, ptrdiff_t panels);

/// The same product for weights with |w| ≤ 64, four k per 32-bit lane:
///
///     C[r][16p + c] = sum_t sum_i A[t][r][i]·W[p][t][c][i]      (i = 0…3)
///
/// `packed_rows` is [quads][6][4] uint8; `packed_weights` is [panels][quads][16][4] int8.
/// `vpmaddubsw` adds two u8·s8 products in int16 with saturation; with codes ≤ 255 and
/// |w| ≤ 64 a pair is at most 2·255·64 = 32640 < 32767, so it never saturates and the
/// result is exact. Must only be called when cq_cpu_has_avx2() returns 1.
void cq_gemm_row_panel_u8s8_avx2(
    const uint8_t *packed_rows, const int8_t *packed_weights, int32_t *tile_out,
    ptrdiff_t quads, ptrdiff_t panels);

/// One row times every column panel (pair layout), for batches too small to fill a tile:
/// `out[16p + c] = sum_t row[t][0]·W[p][t][c][0] + row[t][1]·W[p][t][c][1]`, with `row` the
/// row's codes widened to int16, [pairs][2]. Four panels share each broadcast.
void cq_gemv_pairs_avx2(
    const int16_t *row, const int16_t *packed_weights, int32_t *out, ptrdiff_t pairs,
    ptrdiff_t panels);

/// The same for the quad layout, `row` being the row's codes, [quads][4] uint8 (|w| ≤ 64).
void cq_gemv_quads_avx2(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t quads,
    ptrdiff_t panels);

/// One row times every column panel in the quad layout, any int8 weights, `vpdpbusd`.
/// Must only be called when cq_cpu_has_avx512_vnni() returns 1.
void cq_gemv_quads_vnni(
    const uint8_t *row, const int8_t *packed_weights, int32_t *out, ptrdiff_t quads,
    ptrdiff_t panels);

/// One dense layer with AVX-512 VNNI straight from row-major codes, no packing of the rows:
///
///     acc[i][j] = bias[j] + sum_k input[i·inputs + k]·W[j][k]        (wrapping int32)
///
/// for rows i < `rows` and units j < `units`, `packed_weights` as cq_gemm_row_panel_u8s8_avx2
/// ([panels][⌈inputs/4⌉][16][4], zero padded), any int8 weights: `vpdpbusd` adds four u8·s8
/// products straight into each int32 lane (no 16-bit intermediate, so nothing saturates:
/// |four products| ≤ 4·255·128 < 2^31). Six rows by 32 units stay in registers over the
/// whole inner dimension, then leave through the epilogue: with `r` NULL, `sums[i·units + j] =
/// acc[i][j]`; otherwise `codes[i·units + j]` receives the requantised code, bit for bit
/// cq_requantize_row_avx2 of the same accumulators. `bias` NULL means zeros. Reads no byte of
/// `input` past row `rows − 1`. Must only be called when cq_cpu_has_avx512_vnni() returns 1.
void cq_dense_u8s8_vnni(
    const uint8_t *input, ptrdiff_t rows, ptrdiff_t inputs, const int8_t *packed_weights,
    ptrdiff_t panels, const int32_t *bias, const cq_requantizer *r, ptrdiff_t units,
    uint8_t *codes, int32_t *sums);

#ifdef __cplusplus
}
#endif

#endif
