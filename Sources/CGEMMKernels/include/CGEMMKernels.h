// The Float GEMM of inference: C = A·Wᵀ + bias (then ReLU) over weights packed once into
// column panels, with the bias and the activation applied while the tile is in registers;
// and the matrix-vector product of a batch of one on the unpacked weights.
// Compiled for AVX2 + FMA and AVX-512 by function attribute and chosen at run time.
#ifndef CGEMMKERNELS_H
#define CGEMMKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Columns of one packed panel for the kernels this CPU runs: 32 (AVX-512), 16 (AVX2 + FMA),
/// or 0 when it runs neither (then no kernel here may be called).
int rect_gemm_panel_width(void);

/// Floats the packed form of an n × k weight takes: n rounded up to the panel width, times k.
long rect_gemm_packed_count(long n, long k);

/// Packs `w` (n × k, row-major, row stride `ldw`: output j's weights in row j) into panels
/// of ``rect_gemm_panel_width()`` columns: panel q holds, for p = 0..<k, the weights of
/// outputs q·width…q·width+width−1 for input p (0 past n). `packed` has
/// ``rect_gemm_packed_count(n, k)`` Floats.
void rect_gemm_pack(const float *w, long n, long k, long ldw, float *packed);

/// c (m × n, row stride ldc) = a (m × k, row stride lda) · wᵀ + bias (n Floats, or NULL for
/// none), then max(0, ·) per element when `relu` (NaN and −0 kept), `w` packed by
/// ``rect_gemm_pack``. Each element is one sum over p in order, by FMA, then + bias.
void rect_gemm_packed(
    long m, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc);

/// y (n) = w (n × k, row-major, row stride ldw, unpacked) · x (k) + bias (n, or NULL), then
/// max(0, ·) when `relu`: a batch of one, which reads each weight once. Each y[j] is the sum
/// of 2·lanes partial FMA sums over blocks of x, added pairwise, then the last k mod lanes
/// products in order, then + bias: the same bits for every split of the outputs. Only where
/// ``rect_gemm_panel_width()`` > 0.
void rect_gemv(
    long n, long k, const float *x, const float *w, long ldw, const float *bias, int relu, float *y);

#ifdef __cplusplus
}
#endif

#endif
