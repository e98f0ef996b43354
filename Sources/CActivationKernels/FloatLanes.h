// The lane operations and loops of the established members over sixteen Float lanes,
// included once per instruction set by FloatKernels.c with RECT_LEVEL (0 baseline, 1 AVX2 +
// FMA, 2 AVX-512) and RECT_NAME (a suffix per set) defined, inside a
// `#pragma clang attribute` that gives every function here that set's target features.
//
// Every level performs the same IEEE operations in the same order (FMA exact everywhere,
// no contraction, the same 12-bit vrcpps/rcpps reciprocal in correction terms), so the three
// give the same bits on one CPU. The formulas are the Swift definitions' (Sources/Activations/
// Family), rearranged for error-free transformations; the bounds against those definitions are
// documented and tested in Sources/Activations/Kernels/FloatKernels.swift.

typedef float rect_f16 __attribute__((ext_vector_type(16)));
typedef float rect_f8x __attribute__((ext_vector_type(8)));
typedef int rect_i16 __attribute__((ext_vector_type(16)));
typedef unsigned rect_u16 __attribute__((ext_vector_type(16)));

#define SPLAT(value) ((rect_f16)(value))
#define BITS(v) ((rect_u16)(v))
#define FLOATS(v) ((rect_f16)(v))

/// a·b + c, one rounding.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(fma)(rect_f16 a, rect_f16 b, rect_f16 c) {
    return __builtin_elementwise_fma(a, b, c);
}
#define FMA RECT_NAME(fma)

/// floor > x ? floor : x (x where x is NaN).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(at_least)(rect_f16 floor, rect_f16 x) {
    return floor > x ? floor : x;
}

/// |x| and −|x| by the sign bit; |a| with the sign of s.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(magnitude)(rect_f16 x) {
    return FLOATS(BITS(x) & 0x7FFFFFFFu);
}
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(negative_magnitude)(rect_f16 x) {
    return FLOATS(BITS(x) | 0x80000000u);
}
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(with_sign)(rect_f16 a, rect_f16 s) {
    return FLOATS((BITS(a) & 0x7FFFFFFFu) | (BITS(s) & 0x80000000u));
}

/// 1/x within 1.5·2^-12 (x86: rcpps, eight lanes at a time on every level so that the
/// levels agree; elsewhere exact).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(reciprocal)(rect_f16 x) {
#if defined(__x86_64__) || defined(__i386__)
    rect_f16 r;
#if RECT_LEVEL >= 1
    r.lo = (rect_f8x)_mm256_rcp_ps((__m256)x.lo);
    r.hi = (rect_f8x)_mm256_rcp_ps((__m256)x.hi);
#else
    for (int part = 0; part < 4; part++) {
        __m128 quarter = _mm_loadu_ps((const float *)&x + 4 * part);
        _mm_storeu_ps((float *)&r + 4 * part, _mm_rcp_ps(quarter));
    }
#endif
    return r;
#else
    return 1.0f / x;
#endif
}

/// table[index & 7] in every lane.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(lookup)(rect_f8x table, rect_u16 index) {
#if RECT_LEVEL >= 2
    const __m512 doubled = (__m512)__builtin_shufflevector(table, table, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
    return (rect_f16)_mm512_permutexvar_ps((__m512i)index, doubled);
#elif RECT_LEVEL == 1
    rect_f16 r;
    r.lo = (rect_f8x)_mm256_permutevar8x32_ps((__m256)table, (__m256i)index.lo);
    r.hi = (rect_f8x)_mm256_permutevar8x32_ps((__m256)table, (__m256i)index.hi);
    return r;
#else
    rect_f16 r;
    for (int lane = 0; lane < 16; lane++) r[lane] = table[index[lane] & 7];
    return r;
#endif
}

/// e^t for t ≤ 0 in pieces: e^t·2^k = scale·(T_j·(1 + q) + L_j), t = (8m + j)·ln2/8 + r,
/// |r| ≤ ln2/16, q ≈ e^r − 1 (degree-5 minimax, 2^-38.6), T_j + L_j = 2^(j/8) (hi + lo),
/// scale = 2^(m + k) from the exponent bits. t is clamped where m + k would reach −127
/// (there the scale is +0, the flush to zero); `correction` (a low part of t, ≤ 2^-20·|t|)
/// is added to r except where t is clamped. NaN propagates.
typedef struct { rect_f16 table_high, table_low, q, scale; } RECT_NAME(exp_pieces);

static inline __attribute__((always_inline)) RECT_NAME(exp_pieces)
RECT_NAME(exp)(rect_f16 t, int k, const rect_f16 *correction) {
    const float clamp_at = -((float)(127 + k) - 0.01f) * 0x1.62e430p-1f;
    const rect_f16 tc = RECT_NAME(at_least)(SPLAT(clamp_at), t);
    const rect_f16 shifter = SPLAT(0x1.8p23f);
    const rect_f16 shifted = FMA(tc, SPLAT(0x1.715476p+3f), shifter);
    const rect_f16 m8 = shifted - shifter;
    rect_f16 r = FMA(m8, SPLAT(-0x1.62e430p-4f), tc);
    r = FMA(m8, SPLAT(0x1.05c610p-32f), r);
    if (correction) r += t < clamp_at ? SPLAT(0.0f) : *correction;
    const rect_f16 r2 = r * r;
    const rect_f16 p01 = FMA(r, SPLAT(0x1.55554ap-3f), SPLAT(0.5f));
    const rect_f16 p23 = FMA(r, SPLAT(0x1.127f24p-7f), SPLAT(0x1.555b50p-5f));
    const rect_u16 bits = BITS(shifted);
    const rect_f8x high = {0x1.000000p+0f, 0x1.172b84p+0f, 0x1.306fe0p+0f, 0x1.4bfdaep+0f,
                           0x1.6a09e6p+0f, 0x1.8ace54p+0f, 0x1.ae89fap+0f, 0x1.d5818ep+0f};
    const rect_f8x low = {0.0f, -0x1.c15742p-27f, 0x1.4636e2p-25f, -0x1.593abcp-25f,
                          0x1.9fcef4p-26f, 0x1.15506ep-27f, -0x1.a94b14p-26f, -0x1.822dbcp-27f};
    RECT_NAME(exp_pieces) pieces;
    pieces.q = FMA(r2, FMA(r2, p23, p01), r);
    pieces.scale = FLOATS(((bits << 20) & 0xFF800000u) + ((unsigned)(127 + k) << 23));
    pieces.table_high = RECT_NAME(lookup)(high, bits);
    pieces.table_low = RECT_NAME(lookup)(low, bits);
    return pieces;
}

/// e^t·2^k rounded once (within 0.51 ulp).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(exponential)(RECT_NAME(exp_pieces) p) {
    return (p.table_high + FMA(p.table_high, p.q, p.table_low)) * p.scale;
}

/// softplus's β: e^(−β|x|)·2^k in pieces (βhi·|x| rounded, its error and βlo·|x| passed as
/// the correction), value·2^-k, and (hi + lo)/β as a new hi + lo.
static inline __attribute__((always_inline)) RECT_NAME(exp_pieces)
RECT_NAME(beta_exp)(const rect_kernel_parameters *b, rect_f16 x) {
    if (!b->scaled) return RECT_NAME(exp)(RECT_NAME(negative_magnitude)(x), 0, 0);
    const rect_f16 magnitude = RECT_NAME(magnitude)(x);
    const rect_f16 t = -(SPLAT(b->beta_hi) * magnitude);
    const rect_f16 t_lo = -FMA(SPLAT(b->beta_lo), magnitude, FMA(SPLAT(b->beta_hi), magnitude, t));
    return RECT_NAME(exp)(t, b->exponent_offset, &t_lo);
}

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(beta_unoffset)(const rect_kernel_parameters *b, rect_f16 v) {
    return b->scaled ? v * SPLAT(b->offset_inverse) : v;
}

static inline __attribute__((always_inline)) void
RECT_NAME(beta_divide)(const rect_kernel_parameters *b, rect_f16 *hi, rect_f16 *lo) {
    if (!b->scaled) return;
    const rect_f16 product = *hi * SPLAT(b->inverse_hi);
    const rect_f16 error = FMA(*hi, SPLAT(b->inverse_hi), -product);
    *lo = error + FMA(*hi, SPLAT(b->inverse_lo), *lo * SPLAT(b->inverse_hi));
    *hi = product;
}

/// β·x in Float as the definition compares it with the threshold.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(beta_x)(const rect_kernel_parameters *b, rect_f16 x) {
    return b->scaled ? SPLAT(b->beta_hi) * x : x;
}

/// sigmoid(β·x) = n/(1 + e), e = e^(−β|x|), n = x ≥ 0 ? 1 : e.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(sigmoid)(const rect_kernel_parameters *b, rect_f16 x) {
    const rect_f16 e = RECT_NAME(beta_unoffset)(b, RECT_NAME(exponential)(RECT_NAME(beta_exp)(b, x)));
    const rect_f16 numerator = x >= 0.0f ? SPLAT(1.0f) : e;
    return numerator / (1.0f + e);
}

/// softplus(x) = max(x, 0) + log1p(u)/β, u = e^(−β|x|); log1p(u) = 2·atanh(σ/2),
/// σ = u/(1 + u/2) by a compensated division, the tail σ·z·R(z) (z = σ², degree-4 minimax),
/// max(x, 0) + σ by TwoSum; for u < 2^-24, u − u²/2 summed unscaled and scaled last.
/// Linear (x itself) where !(β·x ≤ threshold), NaN included.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(softplus)(const rect_kernel_parameters *b, rect_f16 x) {
    const RECT_NAME(exp_pieces) pieces = RECT_NAME(beta_exp)(b, x);
    const rect_f16 hi = FMA(pieces.table_high, pieces.q, pieces.table_high);
    const rect_f16 lo = FMA(pieces.table_high, pieces.q, pieces.table_high - hi) + pieces.table_low;
    const rect_f16 scale = RECT_NAME(beta_unoffset)(b, pieces.scale);
    const rect_f16 u_hi = hi * scale;
    const rect_f16 u_lo = lo * scale;

    const rect_f16 d = FMA(u_hi, SPLAT(0.5f), SPLAT(1.0f));
    const rect_f16 d_lo = FMA(u_hi, SPLAT(0.5f), 1.0f - d);
    const rect_f16 sigma = u_hi / d;
    const rect_f16 residual = FMA(-sigma, d, u_hi) + FMA(-sigma, FMA(u_lo, SPLAT(0.5f), d_lo), u_lo);
    const rect_f16 sigma_lo = residual * RECT_NAME(reciprocal)(d);

    const rect_f16 z = sigma * sigma;
    const rect_f16 z2 = z * z;
    const rect_f16 r01 = FMA(z, SPLAT(0x1.9996a8p-7f), SPLAT(0x1.555558p-4f));
    const rect_f16 r23 = FMA(z, SPLAT(0x1.b6d6a4p-12f), SPLAT(0x1.250972p-9f));
    const rect_f16 r = FMA(z2, FMA(z2, SPLAT(0x1.f1aee2p-14f), r23), r01);
    rect_f16 tail_hi = sigma, tail_lo = FMA(sigma * z, r, sigma_lo);
    RECT_NAME(beta_divide)(b, &tail_hi, &tail_lo);

    const rect_f16 p = x < 0.0f ? SPLAT(0.0f) : x;
    const rect_f16 sum = p + tail_hi;
    const rect_f16 p_part = sum - tail_hi;
    const rect_f16 error = (p - p_part) + (tail_hi - (sum - p_part));
    rect_f16 y = sum + (error + tail_lo);

    rect_f16 far_hi = hi, far_lo = FMA(-0.5f * u_hi, hi, lo);
    RECT_NAME(beta_divide)(b, &far_hi, &far_lo);
    y = ((u_hi < 0x1p-24f) & (x < 0.0f)) ? (far_hi + far_lo) * scale : y;
    return !(RECT_NAME(beta_x)(b, x) <= b->threshold) ? x : y;
}

/// softplus′(x) = sigmoid(β·x), 1 where softplus is linear.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(softplus_derivative)(const rect_kernel_parameters *b, rect_f16 x) {
    return RECT_NAME(beta_x)(b, x) > b->threshold ? SPLAT(1.0f) : RECT_NAME(sigmoid)(b, x);
}

/// 2^k·e/(1 + e)², e = e^t, t ≤ 0, with 1 + e = d + dl and (d + dl)² = D + Dl split exactly.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(bell_curve)(rect_f16 t, int k) {
    const rect_f16 scaled = RECT_NAME(exponential)(RECT_NAME(exp)(t, k, 0));
    const rect_f16 e = scaled * (1.0f / (float)(1 << k));
    const rect_f16 d = 1.0f + e;
    const rect_f16 d_lo = (1.0f - d) + e;
    const rect_f16 square = d * d;
    const rect_f16 square_lo = FMA(d + d, d_lo, FMA(d, d, -square));
    const rect_f16 quotient = scaled / square;
    return FMA(-quotient * square_lo, RECT_NAME(reciprocal)(square), quotient);
}

/// tanh(x) = sign(x)·(1 − e)/(1 + e), e = e^(−2|x|), with 1 − e split exactly; below
/// |x| = 0.35, x + x³·P(x²) (degree-9 odd minimax).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(tanh)(rect_f16 x) {
    const rect_f16 a = RECT_NAME(magnitude)(x);
    const rect_f16 e = RECT_NAME(exponential)(RECT_NAME(exp)(-(a + a), 0, 0));
    const rect_f16 numerator = 1.0f - e;
    const rect_f16 numerator_lo = (1.0f - numerator) - e;
    const rect_f16 denominator = 1.0f + e;
    const rect_f16 large = FMA(numerator_lo, RECT_NAME(reciprocal)(denominator), numerator / denominator);
    const rect_f16 z = a * a;
    const rect_f16 p01 = FMA(z, SPLAT(0x1.110bf2p-3f), SPLAT(-0x1.55554ep-2f));
    const rect_f16 p23 = FMA(z, SPLAT(0x1.3e43ecp-6f), SPLAT(-0x1.b81ab6p-5f));
    const rect_f16 small = FMA(a * z, FMA(z * z, p23, p01), a);
    return RECT_NAME(with_sign)(a < 0.35f ? small : large, x);
}

/// The piecewise-linear lanes, bit for bit their definitions (LeakyReLU.value(_:slope:) and
/// LeakyReLU.derivative(_:negative:zero:)): relu(x) = 0 > x ? 0 : x (relu(−0) = −0, NaN
/// stays); leaky x < 0 ? α·x : x with 0 where α = 0; the slope 1 above 0, `below` below,
/// `at_zero` at ±0 and x where x is NaN, times g rounded once.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(leaky)(rect_f16 x, float slope) {
    const rect_f16 scaled = slope == 0.0f ? SPLAT(0.0f) : x * slope;
    return x < 0.0f ? scaled : x;
}

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(slope)(rect_f16 x, float below, float at_zero) {
    rect_f16 slope = x < 0.0f ? SPLAT(below) : SPLAT(at_zero);
    slope = x > 0.0f ? SPLAT(1.0f) : slope;
    return x != x ? x : slope;
}

// The kernels' lane groups: f(x) forward, g·f′(x) backward.
#define RECT_LANES_relu_forward(b, x, g) (0.0f > (x) ? SPLAT(0.0f) : (x))
#define RECT_LANES_leaky_forward(b, x, g) RECT_NAME(leaky)(x, (b)->slope)
#define RECT_LANES_abs_forward(b, x, g) RECT_NAME(magnitude)(x)
#define RECT_LANES_slope_backward(b, x, g) ((g) * RECT_NAME(slope)(x, (b)->slope_below_zero, (b)->slope_at_zero))
#define RECT_LANES_softplus_forward(b, x, g) RECT_NAME(softplus)(b, x)
#define RECT_LANES_softplus_backward(b, x, g) ((g) * RECT_NAME(softplus_derivative)(b, x))
#define RECT_LANES_sigmoid_forward(b, x, g) RECT_NAME(sigmoid)(b, x)
#define RECT_LANES_sigmoid_backward(b, x, g) ((g) * RECT_NAME(bell_curve)(RECT_NAME(negative_magnitude)(x), 0))
#define RECT_LANES_tanh_forward(b, x, g) RECT_NAME(tanh)(x)
#define RECT_LANES_tanh_backward(b, x, g) \
    ((g) * RECT_NAME(bell_curve)(-(RECT_NAME(magnitude)(x) + RECT_NAME(magnitude)(x)), 2))

/// The loop of one kernel: whole lane groups (streamed after a head that aligns y to 64
/// bytes, or stored normally), then the partial group at the end, gathered into a
/// zero-padded group. Loads and stores are unaligned.
#define RECT_DEFINE_LOOP(kernel)                                                                   \
    static void RECT_NAME(kernel##_partial)(const rect_kernel_parameters *b, const float *x,    \
                                             const float *g, float *y, long count) {               \
        if (count <= 0) return;                                                                    \
        rect_f16 xv = SPLAT(0.0f), gv = SPLAT(0.0f);                                               \
        for (long lane = 0; lane < count; lane++) { xv[lane] = x[lane]; gv[lane] = g[lane]; }      \
        const rect_f16 yv = RECT_LANES_##kernel(b, xv, gv);                                        \
        for (long lane = 0; lane < count; lane++) y[lane] = yv[lane];                              \
    }                                                                                              \
    static void RECT_NAME(kernel)(const rect_kernel_parameters *b, const float *x, const float *g, \
                                  float *y, long count, int streaming) {                           \
        long i = 0;                                                                                \
        if (streaming) {                                                                           \
            const long misalignment = (long)((unsigned long)y & 63);                               \
            long head = misalignment == 0 ? 0 : (64 - misalignment) / (long)sizeof(float);         \
            if (head > count) head = count;                                                        \
            RECT_NAME(kernel##_partial)(b, x, g, y, head);                                         \
            for (i = head; i + 16 <= count; i += 16) {                                             \
                rect_f16 xv, gv;                                                                   \
                __builtin_memcpy(&xv, x + i, sizeof xv);                                           \
                __builtin_memcpy(&gv, g + i, sizeof gv);                                           \
                __builtin_nontemporal_store(RECT_LANES_##kernel(b, xv, gv), (rect_f16 *)(y + i));  \
            }                                                                                      \
            rect_store_fence();                                                                    \
        } else {                                                                                   \
            for (; i + 16 <= count; i += 16) {                                                     \
                rect_f16 xv, gv;                                                                   \
                __builtin_memcpy(&xv, x + i, sizeof xv);                                           \
                __builtin_memcpy(&gv, g + i, sizeof gv);                                           \
                const rect_f16 yv = RECT_LANES_##kernel(b, xv, gv);                                \
                __builtin_memcpy(y + i, &yv, sizeof yv);                                           \
            }                                                                                      \
        }                                                                                          \
        RECT_NAME(kernel##_partial)(b, x + i, g + i, y + i, count - i);                            \
    }

RECT_DEFINE_LOOP(relu_forward)
RECT_DEFINE_LOOP(leaky_forward)
RECT_DEFINE_LOOP(abs_forward)
RECT_DEFINE_LOOP(slope_backward)
RECT_DEFINE_LOOP(softplus_forward)
RECT_DEFINE_LOOP(softplus_backward)
RECT_DEFINE_LOOP(sigmoid_forward)
RECT_DEFINE_LOOP(sigmoid_backward)
RECT_DEFINE_LOOP(tanh_forward)
RECT_DEFINE_LOOP(tanh_backward)

static const rect_float_kernels RECT_NAME(kernels) = {
    RECT_NAME(relu_forward), RECT_NAME(leaky_forward), RECT_NAME(abs_forward), RECT_NAME(slope_backward),
    RECT_NAME(softplus_forward), RECT_NAME(softplus_backward),
    RECT_NAME(sigmoid_forward), RECT_NAME(sigmoid_backward),
    RECT_NAME(tanh_forward), RECT_NAME(tanh_backward),
};

#undef FMA
#undef SPLAT
#undef BITS
#undef FLOATS
