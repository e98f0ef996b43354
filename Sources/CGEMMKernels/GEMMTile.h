// One instruction set's Float GEMM over packed weights, included by FloatGEMM.c with
// GEMM_NAME (a suffix), GEMM_LANES (8 or 16 Float lanes per vector) and GEMM_ROWS (rows of a
// register tile) defined, inside a `#pragma clang attribute` that gives every function here
// that set's target features. A tile is GEMM_ROWS × 2·GEMM_LANES accumulators.

typedef float GEMM_NAME(vector) __attribute__((ext_vector_type(GEMM_LANES), aligned(4)));
#define VEC GEMM_NAME(vector)
#define PANEL (2 * GEMM_LANES)

/// Stores one row of a tile (its first `columns` columns), after max(0, ·) when `relu`.
static inline __attribute__((always_inline)) void GEMM_NAME(store)(
    VEC v0, VEC v1, int relu, float *row, int columns)
{
    if (relu) {
        // 0 > x ? 0 : x, as the ReLU kernel: NaN and −0 pass through.
        v0 = (VEC)0 > v0 ? (VEC)0 : v0;
        v1 = (VEC)0 > v1 ? (VEC)0 : v1;
    }
    if (columns == PANEL) {
        *(VEC *)row = v0;
        *(VEC *)(row + GEMM_LANES) = v1;
    } else {
        float lanes[PANEL] __attribute__((aligned(64)));
        *(VEC *)lanes = v0;
        *(VEC *)(lanes + GEMM_LANES) = v1;
        for (int j = 0; j < columns; j++) row[j] = lanes[j];
    }
}

/// rows × PANEL of C (the first `columns` columns stored) ← A·panel, then + bias, then ReLU.
static inline __attribute__((always_inline)) void GEMM_NAME(tile)(
    const int rows, long k, const float *a, long lda, const float *panel, const float *bias,
    int relu, float *c, long ldc, int columns)
{
    VEC acc[GEMM_ROWS][2];
#pragma unroll
    for (int i = 0; i < GEMM_ROWS; i++) acc[i][0] = acc[i][1] = (VEC)0;
    // Unrolled, this loop needs more registers than there are (the accumulators alone take
    // 24 of AVX-512's 32) and spills: 1.7× slower with -march=native's unrolling.
#pragma clang loop unroll(disable)
    for (long p = 0; p < k; p++) {
        const VEC b0 = *(const VEC *)(panel + p * PANEL);
        const VEC b1 = *(const VEC *)(panel + p * PANEL + GEMM_LANES);
#pragma unroll
        for (int i = 0; i < rows; i++) {
            const VEC x = (VEC)a[i * lda + p];
            acc[i][0] = __builtin_elementwise_fma(x, b0, acc[i][0]);
            acc[i][1] = __builtin_elementwise_fma(x, b1, acc[i][1]);
        }
    }
    float lanes[PANEL] __attribute__((aligned(64))) = {0};
    if (bias) for (int j = 0; j < columns; j++) lanes[j] = bias[j];
    const VEC bias0 = *(const VEC *)lanes, bias1 = *(const VEC *)(lanes + GEMM_LANES);
#pragma unroll
    for (int i = 0; i < rows; i++)
        GEMM_NAME(store)(acc[i][0] + bias0, acc[i][1] + bias1, relu, c + i * ldc, columns);
}

static void GEMM_NAME(rows)(
    int rows, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc)
{
    for (long j = 0; j < n; j += PANEL) {
        const int columns = n - j < PANEL ? (int)(n - j) : PANEL;
        const float *panel = packed + j * k, *b = bias ? bias + j : 0;
        switch (rows) {
#define GEMM_CASE(r) case r: GEMM_NAME(tile)(r, k, a, lda, panel, b, relu, c + j, ldc, columns); break;
        GEMM_CASE(1) GEMM_CASE(2) GEMM_CASE(3) GEMM_CASE(4) GEMM_CASE(5) GEMM_CASE(6)
#if GEMM_ROWS > 6
        GEMM_CASE(7) GEMM_CASE(8) GEMM_CASE(9) GEMM_CASE(10) GEMM_CASE(11) GEMM_CASE(12)
#endif
#undef GEMM_CASE
        }
    }
}

static void GEMM_NAME(gemm)(
    long m, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc)
{
    for (long i = 0; i < m; i += GEMM_ROWS) {
        const int rows = m - i < GEMM_ROWS ? (int)(m - i) : GEMM_ROWS;
        GEMM_NAME(rows)(rows, n, k, a + i * lda, lda, packed, bias, relu, c + i * ldc, ldc);
    }
}

#undef VEC
#undef PANEL
