// One instruction set's Float GEMM over packed weights, included by FloatGEMM.c with
// GEMM_NAME (a suffix), GEMM_LANES (8 or 16 Float lanes per vector) and GEMM_ROWS (rows of a
// register tile) defined, inside a `#pragma clang attribute` that gives every function here
// that set's target features. A tile is GEMM_ROWS × 2·GEMM_LANES accumulators.

typedef float GEMM_NAME(vector) __attribute__((ext_vector_type(GEMM_LANES), aligned(4)));
#define VEC GEMM_NAME(vector)
#define PANEL (2 * GEMM_LANES)

/// The first `count` (0…GEMM_LANES) Floats at `p` in the low lanes, 0 in the others; the
/// masked lanes are not read (a masked load does not fault past the end of an array).
static inline __attribute__((always_inline)) VEC GEMM_NAME(load_part)(const float *p, int count) {
#if GEMM_LANES == 16
    return (VEC)_mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1), p);
#else
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return (VEC)_mm256_maskload_ps(p, mask);
#endif
}

/// Stores the low `count` (0…GEMM_LANES) lanes of `v` at `p` (one masked store: the 10
/// columns of a classifier's row without a store per element).
static inline __attribute__((always_inline)) void GEMM_NAME(store_part)(float *p, VEC v, int count) {
#if GEMM_LANES == 16
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << count) - 1), (__m512)v);
#else
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_maskstore_ps(p, mask, (__m256)v);
#endif
}

/// Stores one row of a tile (its first `columns` columns; `halves` = 1 when they fit in v0),
/// after max(0, ·) when `relu`.
static inline __attribute__((always_inline)) void GEMM_NAME(store)(
    VEC v0, VEC v1, int relu, float *row, int columns, const int halves)
{
    if (relu) {
        // 0 > x ? 0 : x, as the ReLU kernel: NaN and −0 pass through.
        v0 = (VEC)0 > v0 ? (VEC)0 : v0;
        v1 = (VEC)0 > v1 ? (VEC)0 : v1;
    }
    if (columns == PANEL) {
        *(VEC *)row = v0;
        *(VEC *)(row + GEMM_LANES) = v1;
    } else if (halves == 1) {
        GEMM_NAME(store_part)(row, v0, columns);
    } else {
        *(VEC *)row = v0;
        GEMM_NAME(store_part)(row + GEMM_LANES, v1, columns - GEMM_LANES);
    }
}

/// rows × PANEL of C (the first `columns` columns stored) ← A·panel, then + bias, then ReLU.
/// With `halves` = 1 (`columns` ≤ GEMM_LANES: a narrow last layer, 10 classes) only the
/// panel's first vector is multiplied, half the FMAs of a full tile.
static inline __attribute__((always_inline)) void GEMM_NAME(tile)(
    const int rows, const int halves, long k, const float *a, long lda, const float *panel,
    const float *bias, int relu, float *c, long ldc, int columns)
{
    VEC acc[GEMM_ROWS][2];
#pragma unroll
    for (int i = 0; i < GEMM_ROWS; i++) acc[i][0] = acc[i][1] = (VEC)0;
    // Unrolled, this loop needs more registers than there are (the accumulators alone take
    // 24 of AVX-512's 32) and spills: 1.7× slower with -march=native's unrolling.
#pragma clang loop unroll(disable)
    for (long p = 0; p < k; p++) {
        const VEC b0 = *(const VEC *)(panel + p * PANEL);
        const VEC b1 = halves == 2 ? *(const VEC *)(panel + p * PANEL + GEMM_LANES) : (VEC)0;
#pragma unroll
        for (int i = 0; i < rows; i++) {
            const VEC x = (VEC)a[i * lda + p];
            acc[i][0] = __builtin_elementwise_fma(x, b0, acc[i][0]);
            if (halves == 2) acc[i][1] = __builtin_elementwise_fma(x, b1, acc[i][1]);
        }
    }
    const VEC bias0 = bias ? GEMM_NAME(load_part)(bias, columns < GEMM_LANES ? columns : GEMM_LANES) : (VEC)0;
    const VEC bias1 = bias && halves == 2 ? GEMM_NAME(load_part)(bias + GEMM_LANES, columns - GEMM_LANES) : (VEC)0;
#pragma unroll
    for (int i = 0; i < rows; i++)
        GEMM_NAME(store)(acc[i][0] + bias0, acc[i][1] + bias1, relu, c + i * ldc, columns, halves);
}

static void GEMM_NAME(rows)(
    int rows, long n, long k, const float *a, long lda, const float *packed, const float *bias,
    int relu, float *c, long ldc)
{
    for (long j = 0; j < n; j += PANEL) {
        const int columns = n - j < PANEL ? (int)(n - j) : PANEL;
        const float *panel = packed + j * k, *b = bias ? bias + j : 0;
#define GEMM_CASE(r) case r: GEMM_NAME(tile)(r, HALVES, k, a, lda, panel, b, relu, c + j, ldc, columns); break;
#define GEMM_SWITCH \
        switch (rows) { \
        GEMM_CASE(1) GEMM_CASE(2) GEMM_CASE(3) GEMM_CASE(4) GEMM_CASE(5) GEMM_CASE(6) GEMM_MORE_CASES }
#if GEMM_ROWS > 6
#define GEMM_MORE_CASES GEMM_CASE(7) GEMM_CASE(8) GEMM_CASE(9) GEMM_CASE(10) GEMM_CASE(11) GEMM_CASE(12)
#else
#define GEMM_MORE_CASES
#endif
        if (columns > GEMM_LANES) {
#define HALVES 2
            GEMM_SWITCH
#undef HALVES
        } else {
#define HALVES 1
            GEMM_SWITCH
#undef HALVES
        }
#undef GEMM_CASE
#undef GEMM_SWITCH
#undef GEMM_MORE_CASES
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

/// The sum of v's lanes, halving the vector (a fixed order).
static inline __attribute__((always_inline)) float GEMM_NAME(sum)(VEC v) {
#if GEMM_LANES == 16
    typedef float eight __attribute__((ext_vector_type(8)));
    const eight h = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7)
        + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
#else
    const VEC h = v;
#endif
    typedef float four __attribute__((ext_vector_type(4)));
    typedef float two __attribute__((ext_vector_type(2)));
    const four q = __builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7);
    const two d = __builtin_shufflevector(q, q, 0, 1) + __builtin_shufflevector(q, q, 2, 3);
    return d[0] + d[1];
}

/// `rows` (1…4) outputs of the matrix-vector product: y[i] = Σ_p w[i, p]·x[p] + bias[i], then
/// ReLU. Each is 2·GEMM_LANES partial sums over the blocks of p (FMA), added by halving, then
/// the last k mod GEMM_LANES products in order.
static inline __attribute__((always_inline)) void GEMM_NAME(dots)(
    const int rows, long k, const float *x, const float *w, long ldw, const float *bias, int relu, float *y)
{
    VEC acc[4][2];
#pragma unroll
    for (int i = 0; i < 4; i++) acc[i][0] = acc[i][1] = (VEC)0;
    long p = 0;
    for (; p + PANEL <= k; p += PANEL) {
        const VEC x0 = *(const VEC *)(x + p), x1 = *(const VEC *)(x + p + GEMM_LANES);
#pragma unroll
        for (int i = 0; i < rows; i++) {
            acc[i][0] = __builtin_elementwise_fma(*(const VEC *)(w + i * ldw + p), x0, acc[i][0]);
            acc[i][1] = __builtin_elementwise_fma(*(const VEC *)(w + i * ldw + p + GEMM_LANES), x1, acc[i][1]);
        }
    }
    if (p + GEMM_LANES <= k) {
        const VEC x0 = *(const VEC *)(x + p);
#pragma unroll
        for (int i = 0; i < rows; i++)
            acc[i][0] = __builtin_elementwise_fma(*(const VEC *)(w + i * ldw + p), x0, acc[i][0]);
        p += GEMM_LANES;
    }
#pragma unroll
    for (int i = 0; i < rows; i++) {
        float sum = GEMM_NAME(sum)(acc[i][0] + acc[i][1]);
        for (long q = p; q < k; q++) sum = __builtin_fmaf(w[i * ldw + q], x[q], sum);
        const float value = sum + (bias ? bias[i] : 0);
        y[i] = relu && 0 > value ? 0 : value;
    }
}

static void GEMM_NAME(gemv)(
    long n, long k, const float *x, const float *w, long ldw, const float *bias, int relu, float *y)
{
    for (long j = 0; j < n; j += 4) {
        const float *wj = w + j * ldw, *b = bias ? bias + j : 0;
        switch (n - j < 4 ? n - j : 4) {
        case 1: GEMM_NAME(dots)(1, k, x, wj, ldw, b, relu, y + j); break;
        case 2: GEMM_NAME(dots)(2, k, x, wj, ldw, b, relu, y + j); break;
        case 3: GEMM_NAME(dots)(3, k, x, wj, ldw, b, relu, y + j); break;
        default: GEMM_NAME(dots)(4, k, x, wj, ldw, b, relu, y + j); break;
        }
    }
}

#undef VEC
#undef PANEL
