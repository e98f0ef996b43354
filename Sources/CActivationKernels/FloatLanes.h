// The lane operations and loops of the family's Float kernels over sixteen Float lanes,
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
typedef unsigned long long rect_u8l __attribute__((ext_vector_type(8)));

#define SPLAT(value) ((rect_f16)(value))
#define BITS(v) ((rect_u16)(v))
#define FLOATS(v) ((rect_f16)(v))
#define BITS_D(v) ((rect_u8l)(v))
#define FLOATS_D(v) ((rect_d8)(v))

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

/// e^t·2^k/scale = hi + lo unscaled (both normal, |lo| ≤ 2^-23·hi, relative error below
/// 2^-28); scaling comes last, where the result is known to be normal.
static inline __attribute__((always_inline)) void
RECT_NAME(unscaled)(RECT_NAME(exp_pieces) p, rect_f16 *hi, rect_f16 *lo) {
    *hi = FMA(p.table_high, p.q, p.table_high);
    // table_high − hi is exact: hi/table_high lies in [0.95, 1.05].
    *lo = FMA(p.table_high, p.q, p.table_high - *hi) + p.table_low;
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

/// P(r) of e^r − 1 = r + r²·P(r) on |r| ≤ ln2/2 (degree-4 fit, relative error 2^-28).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(expm1_tail)(rect_f16 r) {
    const rect_f16 r2 = r * r;
    const rect_f16 p01 = FMA(r, SPLAT(0x1.55548ep-3f), SPLAT(0x1.fffff8p-2f));
    const rect_f16 p23 = FMA(r, SPLAT(0x1.123b9ap-7f), SPLAT(0x1.555b58p-5f));
    return FMA(r2, FMA(r2, SPLAT(0x1.687c24p-10f), p23), p01);
}

/// 2^(n + k) for bias = (127 + k)·2^23 (an exponent field; exact where n + 127 + k stays in
/// [1, 254], +0 at 0), n in the low bits of `shifted` (a sum with the shifter 1.5·2^23).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(power_of_two)(rect_f16 shifted, rect_u16 bias) {
    return FLOATS((BITS(shifted) << 23) + bias);
}

/// e^t = 2^n·(1 + q) without a table for |t| ≤ 157·ln2: t = n·ln2 + r (ln2 as hi + lo; t − n·ln2hi
/// is exact, |r| ≤ ln2/2), q = r + r²·P(r); n in the low bits of *shifted.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(expm1_reduced)(rect_f16 t, rect_f16 *shifted) {
    const rect_f16 shifter = SPLAT(0x1.8p23f);
    *shifted = FMA(t, SPLAT(0x1.715476p+0f), shifter);
    const rect_f16 n = *shifted - shifter;
    rect_f16 r = FMA(n, SPLAT(-0x1.62e430p-1f), t);
    r = FMA(n, SPLAT(0x1.05c610p-29f), r);
    return FMA(r * r, RECT_NAME(expm1_tail)(r), r);
}

/// e^t·2^k for t ≤ 0 without a table, for sigmoid, whose quotient by 1 + e^t takes an error
/// near 1 ulp in e^t as the 0.51 of `exp` (measured over every Float: the same largest
/// distance from the correctly rounded result, in fewer operations): e^t = 2^n·(1 + q) from
/// `expm1_reduced`, q·2^(n + k) + 2^(n + k) rounded once. t is clamped as in `exp` (+0 where
/// n + k would reach −127); NaN propagates.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(exp_lean)(rect_f16 t, int k) {
    const float clamp_at = -((float)(127 + k) - 0.01f) * 0x1.62e430p-1f;
    rect_f16 shifted;
    const rect_f16 q = RECT_NAME(expm1_reduced)(RECT_NAME(at_least)(SPLAT(clamp_at), t), &shifted);
    const rect_f16 scale = RECT_NAME(power_of_two)(shifted, (rect_u16)((unsigned)(127 + k) << 23));
    return FMA(q, scale, scale);
}

/// sigmoid(β·x) = n/(1 + e), e = e^(−β|x|), n = x ≥ 0 ? 1 : e; for β = 1 (sigmoid itself and
/// softplus′) e from `exp_lean`.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(sigmoid)(const rect_kernel_parameters *b, rect_f16 x) {
    const rect_f16 e = b->scaled
        ? RECT_NAME(beta_unoffset)(b, RECT_NAME(exponential)(RECT_NAME(beta_exp)(b, x)))
        : RECT_NAME(exp_lean)(RECT_NAME(negative_magnitude)(x), 0);
    const rect_f16 numerator = x >= 0.0f ? SPLAT(1.0f) : e;
    return numerator / (1.0f + e);
}

/// softplus(x) = max(x, 0) + log1p(u)/β, u = e^(−β|x|); log1p(u) = 2·atanh(σ/2),
/// σ = u/(1 + u/2) by a compensated division, the tail σ·z·R(z) (z = σ², degree-4 minimax),
/// max(x, 0) + σ by TwoSum; for u < 2^-24, u − u²/2 summed unscaled and scaled last.
/// Linear (x itself) where !(β·x ≤ threshold), NaN included.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(softplus)(const rect_kernel_parameters *b, rect_f16 x) {
    const RECT_NAME(exp_pieces) pieces = RECT_NAME(beta_exp)(b, x);
    rect_f16 hi, lo;
    RECT_NAME(unscaled)(pieces, &hi, &lo);
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

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(lookup16)(rect_f16 table, rect_u16 index);

/// Horner's rule over the piece `index` of sixteen degree-6 polynomials held as coefficient
/// tables (m6 highest), up to the linear coefficient: ((m6·u + m5)·u + … )·u + m1. The caller
/// adds the last step (tanh and gelu end differently).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(piece_horner)(rect_f16 m6, rect_f16 m5,
    rect_f16 m4, rect_f16 m3, rect_f16 m2, rect_f16 m1, rect_u16 index, rect_f16 u) {
    rect_f16 p = RECT_NAME(lookup16)(m6, index);
    p = FMA(p, u, RECT_NAME(lookup16)(m5, index));
    p = FMA(p, u, RECT_NAME(lookup16)(m4, index));
    p = FMA(p, u, RECT_NAME(lookup16)(m3, index));
    p = FMA(p, u, RECT_NAME(lookup16)(m2, index));
    return FMA(p, u, RECT_NAME(lookup16)(m1, index));
}

/// tanh(x) = sign(x)·p_i(a − c_i), a = |x| clamped at 9.5, no exponential and no division:
/// sixteen pieces indexed by the exponent and two leading mantissa bits of t = a + 1 (a
/// 16-entry permute of its raw bits >> 21, so the tables start at the piece of t in [8, 10)):
/// widths 1/4 on a in [0, 1), 1/2 on [1, 3), 1 on [3, 7), 2 on [7, 9); from 9 the value is 1
/// (tanh rounds to 1 from 9.011). p_i has degree 6 in u = a − c_i (exact: c_i lies in a's
/// piece), Float coefficients fitted to tanh weighted by its ulp (scripts/fit-tanh-pieces.py
/// prints these tables); c_i is a Float where tanh(c_i) is nearly a Float, p_i(0) (within
/// 2^-12 ulp below a = 7). The first piece (t < 1.25) has c = 0 and is a + a·q(a), q(0) = 0,
/// with a itself as the last addend: tiny and subnormal x stay x, and the lanes are monotone.
/// NaN passes. Within 0.77 ulp of tanh on every Float (1 step after rounding).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(tanh)(rect_f16 x) {
    const rect_f16 centers = {0x1.3fed1ep+0f, 0x1.bff09ap+0f, 0x1.1ff226p+1f, 0x1.5fe7f2p+1f,
        0x1.c01338p+1f, 0x1.1fe142p+2f, 0x1.5fe8bep+2f, 0x1.9fef28p+2f,
        0x1.ffc18p+2f, 0.0f, 0.0f, 0.0f,
        0.0f, 0x1.80169p-2f, 0x1.400dfap-1f, 0x1.c0129cp-1f};
    const rect_f16 m6 = {0x1.edb296p-7f, 0x1.12de28p-9f, -0x1.776a26p-11f, -0x1.1dffa4p-11f,
        -0x1.4a9f3cp-13f, -0x1.7b74eap-16f, -0x1.9dfa84p-19f, -0x1.c0ad5cp-22f,
        0x1.709de6p-22f, 0.0f, 0.0f, 0.0f,
        -0x1.2daea8p-5f, -0x1.1b5f86p-4f, -0x1.834df8p-6f, 0x1.ab850cp-7f};
    const rect_f16 m5 = {-0x1.430416p-6f, 0x1.c82a26p-9f, 0x1.04c634p-8f, 0x1.f6928p-10f,
        0x1.00bfaep-11f, 0x1.1f7ef2p-14f, 0x1.382ff8p-17f, 0x1.51eb18p-20f,
        0x1.198904p-24f, 0.0f, 0.0f, 0.0f,
        0x1.24d5e6p-3f, 0x1.313216p-6f, -0x1.bbd00ap-5f, -0x1.e174ep-5f};
    const rect_f16 m4 = {-0x1.9b5ffap-7f, -0x1.817de8p-6f, -0x1.9414dep-7f, -0x1.4eb1acp-8f,
        -0x1.398028p-10f, -0x1.596eb6p-13f, -0x1.764584p-16f, -0x1.94fa8p-19f,
        -0x1.77a2d6p-21f, 0.0f, 0.0f, 0.0f,
        -0x1.30ba74p-10f, 0x1.584f06p-3f, 0x1.1a56cap-3f, 0x1.f1ad56p-5f};
    const rect_f16 m3 = {0x1.bbc33cp-4f, 0x1.01d822p-4f, 0x1.bc25a2p-6f, 0x1.5a1234p-7f,
        0x1.3bbf36p-9f, 0x1.59acf4p-12f, 0x1.763b0ap-15f, 0x1.94e6cp-18f,
        0x1.443bcep-22f, 0.0f, 0.0f, 0.0f,
        -0x1.55453ap-2f, -0x1.6da46p-3f, -0x1.235822p-6f, 0x1.4f3bd8p-4f};
    const rect_f16 m2 = {-0x1.e75a38p-3f, -0x1.b706cep-4f, -0x1.5c859cp-5f, -0x1.07df88p-6f,
        -0x1.dbcc58p-9f, -0x1.03a81cp-11f, -0x1.18fd5ap-14f, -0x1.300098p-17f,
        -0x1.093936p-22f, 0.0f, 0.0f, 0.0f,
        -0x1.1c3d6cp-20f, -0x1.3fe164p-2f, -0x1.893cd8p-2f, -0x1.6b9ea8p-2f};
    const rect_f16 m1 = {0x1.1f48fcp-2f, 0x1.d26162p-4f, 0x1.645bfp-5f, 0x1.0a0ac4p-6f,
        0x1.dcab24p-9f, 0x1.03b92ap-11f, 0x1.190054p-14f, 0x1.30017ep-17f,
        0x1.e6f898p-22f, 0.0f, 0.0f, 0.0f,
        0.0f, 0x1.be38aep-1f, 0x1.627a08p-1f, 0x1.0242d2p-1f};
    const rect_f16 m0 = {0x1.b247a4p-1f, 0x1.e1f878p-1f, 0x1.f4bd6ep-1f, 0x1.fbd37ap-1f,
        0x1.ff1174p-1f, 0x1.ffdf88p-1f, 0x1.fffb9cp-1f, 0x1.ffff68p-1f,
        0x1.fffff8p-1f, 0x1p+0f, 0x1p+0f, 0x1p+0f,
        0.0f, 0x1.6f08e8p-2f, 0x1.1bfe2cp-1f, 0x1.686fb4p-1f};
    const rect_f16 a = RECT_NAME(magnitude)(x);
    const rect_f16 clamped = a > 9.5f ? SPLAT(9.5f) : a;
    const rect_f16 t = clamped + 1.0f;
    const rect_u16 index = BITS(t) >> 21;
    const rect_f16 u = clamped - RECT_NAME(lookup16)(centers, index);
    const rect_f16 p = RECT_NAME(piece_horner)(m6, m5, m4, m3, m2, m1, index, u);
    const rect_f16 m0_or_a = t < 1.25f ? u : RECT_NAME(lookup16)(m0, index);
    return RECT_NAME(with_sign)(FMA(p, u, m0_or_a), x);
}

// Eight Double lanes, for the descendants that finish in Double: an exponential from the Float
// pieces (hi + lo, scaled exactly), then quotients and products in Double, rounded to Float
// once. Quotients are divisions (correctly rounded on every level).
typedef double rect_d8 __attribute__((ext_vector_type(8)));
typedef long long rect_l8 __attribute__((ext_vector_type(8)));
/// Sixteen lanes as two Double halves.
typedef struct { rect_d8 half[2]; } RECT_NAME(wide);
#define WIDE RECT_NAME(wide)

#define DSPLAT(value) ((rect_d8)(value))

static inline __attribute__((always_inline)) rect_d8 RECT_NAME(fma_d)(rect_d8 a, rect_d8 b, rect_d8 c) {
    return __builtin_elementwise_fma(a, b, c);
}
#define FMAD RECT_NAME(fma_d)

static inline __attribute__((always_inline)) WIDE RECT_NAME(widen)(rect_f16 x) {
    WIDE w;
    w.half[0] = __builtin_convertvector(x.lo, rect_d8);
    w.half[1] = __builtin_convertvector(x.hi, rect_d8);
    return w;
}

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(narrow)(WIDE w) {
    rect_f16 r;
    r.lo = __builtin_convertvector(w.half[0], rect_f8x);
    r.hi = __builtin_convertvector(w.half[1], rect_f8x);
    return r;
}

/// `negative` where x's sign bit is set (−0 and negative NaN included), `otherwise` elsewhere.
static inline __attribute__((always_inline)) rect_d8 RECT_NAME(by_sign)(rect_d8 x, rect_d8 negative, rect_d8 otherwise) {
    return (rect_l8)x < 0 ? negative : otherwise;
}
#define BY_SIGN RECT_NAME(by_sign)

/// e^(t + correction) for t ≤ 0 in Double: taken times 2^k in Float and scaled back exactly,
/// so it is exact to 2^-28 down to 2^-(126 + k) before it is flushed to 0.
static inline __attribute__((always_inline)) WIDE RECT_NAME(wide_exp)(rect_f16 t, int k, const rect_f16 *correction) {
    rect_f16 hi, lo;
    const RECT_NAME(exp_pieces) p = RECT_NAME(exp)(t, k, correction);
    RECT_NAME(unscaled)(p, &hi, &lo);
    const WIDE h = RECT_NAME(widen)(hi), l = RECT_NAME(widen)(lo), s = RECT_NAME(widen)(p.scale);
    const double unit = 1.0 / (double)(1 << k);
    WIDE e;
    for (int i = 0; i < 2; i++) e.half[i] = (h.half[i] + l.half[i]) * (s.half[i] * unit);
    return e;
}

/// Where |x| ≥ 2^14 (and at ±∞) SiLU, GELU (both forms) and Mish are x or −0 (value) and 1
/// or 0 (derivative) to all Float digits; the formulas would meet ∞·0 there.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(saturate)(rect_f16 x, rect_f16 y, int derivative) {
    const rect_f16 far = derivative ? (x > 0.0f ? SPLAT(1.0f) : SPLAT(0.0f)) : (x > 0.0f ? x : SPLAT(-0.0f));
    return RECT_NAME(magnitude)(x) >= 0x1p14f ? far : y;
}

/// min(x, limit) for limit > 0 by the bits as signed integers (every x < 0 stays; NaN with
/// the sign bit clear gives limit).
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(at_most_bits)(rect_f16 x, float limit) {
    const rect_i16 bits = (rect_i16)BITS(x), top = (rect_i16)BITS(SPLAT(limit));
    return FLOATS(bits < top ? bits : top);
}

/// 40 in the exponent field where x < −1 (NaN with the sign bit set included), else 0: the
/// scaling 2^-40 of silu's and gelu:tanh's quotients where their exponential is large.
static inline __attribute__((always_inline)) rect_u16 RECT_NAME(offset_below_minus_one)(rect_f16 x) {
    return (rect_u16)(BITS(x) > 0xBF800000u) & (40u << 23);
}

/// gelu′ (erf form) from one exponential and Mills' ratio in Double lanes, a = |x|:
/// Φ(−a) = E·M(a), E = e^(−a²/2), M(a) = ½·erfcx(a/√2) ≈ t·P(t − t₀), t = 4/(4 + a);
/// gelu′(x) = x < 0 ? E·D : 1 − E·D, D = M − a/√(2π).
/// M falls smoothly from ½ at 0 to about 1/(a√(2π)), so the left tail keeps its relative
/// accuracy (nothing is taken as 1 + erf); P is a degree-10 fit on a ∈ [0, 14.5] (relative
/// error 2^-29.7; beyond, E is below the smallest normal Float). x² = h + l is split exactly
/// and E taken times 2^3, so E·D (up to 5.3·E) stays normal where E alone would be flushed.
/// gelu′ cancels near its zero at x ≈ −0.7518, where D's error is small in absolute terms.
static inline __attribute__((always_inline)) rect_d8 RECT_NAME(mills_ratio)(rect_d8 a) {
    const rect_d8 t = 4.0 / (4.0 + a);
    const rect_d8 s = t - 0.6081081081081081;
    rect_d8 p = DSPLAT(-0.011857670773646193);
    p = FMAD(p, s, DSPLAT(0.015604336866568863));
    p = FMAD(p, s, DSPLAT(0.03235909911956857));
    p = FMAD(p, s, DSPLAT(-0.032763880335497965));
    p = FMAD(p, s, DSPLAT(-0.08924814265701526));
    p = FMAD(p, s, DSPLAT(0.012470857158043504));
    p = FMAD(p, s, DSPLAT(0.26225443294970274));
    p = FMAD(p, s, DSPLAT(0.4829186776844912));
    p = FMAD(p, s, DSPLAT(0.5256981471464655));
    p = FMAD(p, s, DSPLAT(0.40199006713167135));
    p = FMAD(p, s, DSPLAT(0.22671030836589817));
    return t * p;
}

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(gelu_derivative)(rect_f16 x) {
    const rect_f16 h = x * x;
    const rect_f16 l = FMA(x, x, -h);
    const rect_f16 correction = l * -0.5f;
    const WIDE e = RECT_NAME(wide_exp)(h * -0.5f, 3, &correction), xs = RECT_NAME(widen)(x);
    WIDE y;
    for (int i = 0; i < 2; i++) {
        const rect_d8 xd = xs.half[i], ed = e.half[i];
        const rect_d8 a = FLOATS_D(BITS_D(xd) & 0x7FFFFFFFFFFFFFFFull);
        const rect_d8 d = FMAD(-a, DSPLAT(0.39894228040143267793994605993438187), RECT_NAME(mills_ratio)(a));
        y.half[i] = BY_SIGN(xd, d * ed, FMAD(-d, ed, DSPLAT(1.0)));
    }
    return RECT_NAME(saturate)(x, RECT_NAME(narrow)(y), 1);
}

/// gelu:tanh′(x) = sigmoid(2z) + x·k·(1 + 3c·x²)·sigmoid′(2z), 2z = k·x·(1 + c·x²) carried as
/// t + tLo (k and c as Float pairs, products split by FMA), with e = e^(−|2z|) (times 2^8 in
/// Float) and everything after it in Double: sigmoid(2z) = (2z ≥ 0 ? 1 : e)/(1 + e),
/// sigmoid′(2z) = e/(1 + e)².
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(gelu_tanh_derivative)(rect_f16 x) {
    const rect_f16 k_hi = SPLAT(0x1.988454p+0f), k_lo = SPLAT(-0x1.857936p-25f);
    const rect_f16 c_hi = SPLAT(0x1.6e4e26p-5f), c_lo = SPLAT(0x1.a9003ep-30f);
    const rect_f16 h = x * x;
    const rect_f16 l = FMA(x, x, -h);
    const rect_f16 q = c_hi * h;
    const rect_f16 q_lo = FMA(c_hi, h, -q) + FMA(c_hi, l, c_lo * h);
    const rect_f16 w = 1.0f + q;
    const rect_f16 q_part = w - 1.0f;
    const rect_f16 w_lo = ((1.0f - (w - q_part)) + (q - q_part)) + q_lo;
    const rect_f16 g = k_hi * w;
    const rect_f16 g_lo = FMA(k_hi, w, -g) + FMA(k_hi, w_lo, k_lo * w);
    const rect_f16 t = g * x;
    const rect_f16 t_lo = FMA(g, x, -t) + g_lo * x;
    // −|t + tLo| = −|t| − sign(t)·tLo (2z has x's sign).
    const rect_f16 correction = -FLOATS(BITS(t_lo) ^ (BITS(t) & 0x80000000u));
    const WIDE e = RECT_NAME(wide_exp)(RECT_NAME(negative_magnitude)(t), 8, &correction);
    const WIDE xs = RECT_NAME(widen)(x);
    WIDE y;
    for (int i = 0; i < 2; i++) {
        const rect_d8 xd = xs.half[i], ed = e.half[i], d = 1.0 + ed;
        const rect_d8 n = BY_SIGN(xd, ed, DSPLAT(1.0));
        const rect_d8 slope = FMAD(DSPLAT(3 * 0.044715) * xd, xd, DSPLAT(1.0)) * 1.5957691216057307117597842397375;
        y.half[i] = FMAD(xd * slope, ed, n * d) / (d * d);
    }
    return RECT_NAME(saturate)(x, RECT_NAME(narrow)(y), 1);
}

/// table[index & 15] in every lane.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(lookup16)(rect_f16 table, rect_u16 index) {
#if RECT_LEVEL >= 2
    return (rect_f16)_mm512_permutexvar_ps((__m512i)index, (__m512)table);
#elif RECT_LEVEL == 1
    const __m256 low = (__m256)table.lo, high = (__m256)table.hi;
    const rect_u16 upper = (rect_u16)((index & 8u) != 0);
    rect_f16 r;
    r.lo = (rect_f8x)_mm256_blendv_ps(_mm256_permutevar8x32_ps(low, (__m256i)index.lo),
                                      _mm256_permutevar8x32_ps(high, (__m256i)index.lo), (__m256)upper.lo);
    r.hi = (rect_f8x)_mm256_blendv_ps(_mm256_permutevar8x32_ps(low, (__m256i)index.hi),
                                      _mm256_permutevar8x32_ps(high, (__m256i)index.hi), (__m256)upper.hi);
    return r;
#else
    rect_f16 r;
    for (int lane = 0; lane < 16; lane++) r[lane] = table[index[lane] & 15];
    return r;
#endif
}

/// e^(−(a·b + a·c)) = 2^n·(1 + q) for |a·b| ≤ 162·ln2, with the products taken exactly into
/// the reduction (the argument is never rounded): n = round(−a·b/ln2) from a·b rounded,
/// r = −a·b − a·c − n·ln2 (n·ln2hi exact, one rounding of a number below ln2/2), q = r + r²·P(r)
/// (`expm1_tail`), scale = 2^n·2^k with bias = (127 + k)·2^23 (`power_of_two`). c is skipped
/// where `with_c` is 0.
typedef struct { rect_f16 q, scale; } RECT_NAME(product_exp);

static inline __attribute__((always_inline)) RECT_NAME(product_exp)
RECT_NAME(exp_of_product)(rect_f16 a, rect_f16 b, rect_f16 c, rect_u16 bias, int with_c) {
    const rect_f16 shifter = SPLAT(0x1.8p23f);
    const rect_f16 shifted = FMA(a * b, SPLAT(-0x1.715476p+0f), shifter);
    const rect_f16 n = shifted - shifter;
    rect_f16 r = FMA(-a, b, n * SPLAT(-0x1.62e4p-1f));
    if (with_c) r = FMA(-a, c, r);
    r = FMA(n, SPLAT(-0x1.7f7d1cp-20f), r);
    RECT_NAME(product_exp) e;
    e.q = FMA(r * r, RECT_NAME(expm1_tail)(r), r);
    e.scale = RECT_NAME(power_of_two)(shifted, bias);
    return e;
}

/// gelu(x) = x·Φ(x) in Float lanes, a = |x| clamped at 13.25 (gelu(−a) is below the smallest
/// normal number from 13.2 and its scale +0 from 13.242, so gelu(−∞) = −0; Φ(a) rounds to 1
/// there; NaN passes): Φ(−a) = E·M(a),
/// E = e^(−a²/2) = scale·(1 + q) with a² taken exactly, M(a) = ½·erfcx(a/√2) by sixteen
/// degree-6 polynomials in a − centre on the pieces [0, ¼), [¼, ½), …, [11, 13), [13, 15)
/// (four per octave of a + 1, picked by its exponent and two leading mantissa bits; the
/// tables hold −M). With B = −a·M·scale·(1 + q) (one rounding after a·M·scale),
/// gelu(x) = x < 0 ? B : a + B. Within 3 ulp of x·Φ(x) on every Float (exhaustive sweep against
/// erfc in Double); results below the smallest normal number may flush to zero.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(gelu_value)(rect_f16 x) {
    const rect_f16 centers = {
        0.0f, 0x1.800000p-2f, 0x1.400000p-1f, 0x1.c00000p-1f,
        0x1.400000p+0f, 0x1.c00000p+0f, 0x1.200000p+1f, 0x1.600000p+1f,
        0x1.c00000p+1f, 0x1.200000p+2f, 0x1.600000p+2f, 0x1.a00000p+2f,
        0x1.000000p+3f, 0x1.400000p+3f, 0x1.800000p+3f, 0x1.c00000p+3f
    };
    const rect_f16 m0 = {
        -0x1.000000p-1f, -0x1.84b706p-2f, -0x1.4b1de2p-2f, -0x1.1e7c2ep-2f,
        -0x1.d898dep-3f, -0x1.7b5abep-3f, -0x1.3aaddep-3f, -0x1.0bb968p-3f,
        -0x1.b396fap-4f, -0x1.5b5acep-4f, -0x1.201faap-4f, -0x1.eba5fep-5f,
        -0x1.926972p-5f, -0x1.43a38ap-5f, -0x1.0e7dcep-5f, -0x1.d087aep-6f
    };
    const rect_f16 m1 = {
        0x1.988452p-2f, 0x1.06bfb2p-2f, 0x1.93234ep-3f, 0x1.3baf58p-3f,
        0x1.c49324p-4f, 0x1.3253b8p-4f, 0x1.b405ccp-5f, 0x1.432b1ap-5f,
        0x1.b60390p-6f, 0x1.1be2c6p-6f, 0x1.8b1956p-7f, 0x1.21ae92p-7f,
        0x1.86b84ap-8f, 0x1.fbf2d2p-9f, 0x1.63cfcap-9f, 0x1.06cd94p-9f
    };
    const rect_f16 m2 = {
        -0x1.ffff76p-3f, -0x1.222ed8p-3f, -0x1.9a3eeap-4f, -0x1.28b828p-4f,
        -0x1.7b79e6p-5f, -0x1.bd42b8p-6f, -0x1.15aa32p-6f, -0x1.6c64aap-7f,
        -0x1.a29ea4p-8f, -0x1.bfb7dap-9f, -0x1.07e082p-9f, -0x1.4ea670p-10f,
        -0x1.762634p-11f, -0x1.8af5cep-12f, -0x1.d0f458p-13f, -0x1.27f220p-13f
    };
    const rect_f16 m3 = {
        0x1.104d3ap-3f, 0x1.15c5cep-4f, 0x1.6e8ec6p-5f, 0x1.ef9bdep-6f,
        0x1.1f30c4p-6f, 0x1.295ffep-7f, 0x1.49babep-8f, 0x1.8388acp-9f,
        0x1.7e7796p-10f, 0x1.55b892p-11f, 0x1.57fc94p-12f, 0x1.7b5fecp-13f,
        0x1.617b8ep-14f, 0x1.305076p-15f, 0x1.2ddb7ep-16f, 0x1.4a50b6p-17f
    };
    const rect_f16 m4 = {
        -0x1.fe4a20p-5f, -0x1.dd5a5ap-6f, -0x1.3540e6p-6f, -0x1.93b1a6p-7f,
        -0x1.8fdc40p-8f, -0x1.7557c8p-9f, -0x1.7138acp-10f, -0x1.7ae12cp-11f,
        -0x1.4fe026p-12f, -0x1.fd4a96p-14f, -0x1.bd0bd6p-15f, -0x1.a3a5b4p-16f,
        -0x1.4995e6p-17f, -0x1.cd5b88p-19f, -0x1.8c80eep-20f, -0x1.88251cp-21f
    };
    const rect_f16 m5 = {
        0x1.a1a712p-6f, 0x1.7a9912p-7f, 0x1.bc249ep-8f, 0x1.0bb5b6p-8f,
        0x1.065308p-9f, 0x1.b5d4a2p-11f, 0x1.8922eep-12f, 0x1.7e6114p-13f,
        0x1.213518p-14f, 0x1.70ff08p-16f, 0x1.140a4ep-17f, 0x1.d0aa78p-19f,
        0x1.36b6e6p-20f, 0x1.65647ap-22f, 0x1.f9f3f4p-24f, 0x1.8d55dep-26f
    };
    const rect_f16 m6 = {
        -0x1.e2cba2p-8f, -0x1.a416bcp-10f, 0x1.c82c82p-6f, 0x1.d7be28p-6f,
        -0x1.455e84p-11f, -0x1.b21290p-18f, -0x1.4be63ep-14f, -0x1.16494ap-12f,
        -0x1.c9da0ep-17f, -0x1.24cc1ap-19f, 0x1.3d8aeap-21f, -0x1.c69344p-21f,
        -0x1.208590p-23f, -0x1.8d7270p-25f, 0x1.7d1cf2p-28f, -0x1.4d070ap-27f
    };
    const rect_f16 a = RECT_NAME(magnitude)(x);
    const rect_f16 clamped = a > 13.25f ? SPLAT(13.25f) : a;
    const RECT_NAME(product_exp) e = RECT_NAME(exp_of_product)(clamped, clamped * 0.5f, clamped, (rect_u16)(127u << 23), 0);
    const rect_u16 index = (BITS(clamped + 1.0f) >> 21) - (127u << 2);
    const rect_f16 u = clamped - RECT_NAME(lookup16)(centers, index);
    const rect_f16 m = FMA(RECT_NAME(piece_horner)(m6, m5, m4, m3, m2, m1, index, u), u,
        RECT_NAME(lookup16)(m0, index));
    const rect_f16 tail = (clamped * m) * e.scale;
    const rect_f16 below = FMA(tail, e.q, tail);
    return (rect_i16)x < 0 ? below : a + below;
}

/// gelu:tanh(x) = x/(1 + e^(−2z)) on both sides, 2z = x·(G + G_lo), G = k + kc·x² with x² = h + l
/// exact and the sum's error kept (k and kc as Float pairs): x is taken at least −11 (2z = 112.5,
/// where the result rounds to −0, so −∞ gives −0; NaN passes) and the exponential's argument
/// from c = min(x, 9.9) (2z = 85: 1 + e^(−2z) rounds to 1 from there), e^(−2z) = 2^n·(1 + q) with
/// c·G and c·G_lo taken exactly into the reduction; for x < −1 numerator and denominator are
/// taken times 2^-40 (exponent bits) so that 2^(n − 40) stays finite: gelu:tanh(x) = x′/d,
/// d = 2^-k + q·2^(n − k) + 2^(n − k) rounded once. Within 3 ulp of the exact tanh form on
/// every Float (exhaustive sweep against the tanh form in Double); results below the smallest
/// normal number may flush to zero.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(gelu_tanh_value)(rect_f16 x) {
    const rect_f16 k_hi = SPLAT(0x1.988454p+0f), k_lo = SPLAT(-0x1.857936p-25f);
    const rect_f16 kc_hi = SPLAT(0x1.2444f2p-4f), kc_lo = SPLAT(0x1.49b16ap-29f);
    const rect_f16 numerator = RECT_NAME(at_least)(SPLAT(-11.0f), x);
    const rect_f16 c = RECT_NAME(at_most_bits)(numerator, 9.9f);
    const rect_u16 offset = RECT_NAME(offset_below_minus_one)(x);
    const rect_f16 h = c * c;
    const rect_f16 l = FMA(c, c, -h);
    const rect_f16 p = kc_hi * h;
    const rect_f16 p_lo = FMA(kc_hi, h, -p);
    const rect_f16 g = k_hi + p;
    // Fast2Sum on (max, min) of the two positive terms, ordered by their bits.
    const rect_i16 pb = (rect_i16)BITS(p), kb = (rect_i16)BITS(k_hi);
    const rect_f16 big = FLOATS(pb > kb ? pb : kb), small = FLOATS(pb > kb ? kb : pb);
    const rect_f16 g_lo = (small - (g - big)) + (FMA(kc_hi, l, p_lo) + FMA(kc_lo, h, k_lo));
    const RECT_NAME(product_exp) e = RECT_NAME(exp_of_product)(c, g, g_lo, (127u << 23) - offset, 1);
    const rect_f16 d = FMA(e.q, e.scale, e.scale + FLOATS((127u << 23) - offset));
    return FLOATS(BITS(numerator) - offset) / d;
}

/// Mish from one exponential u = e^(−|x|) (times 2^8 in Float, so x·n/d stays normal where u
/// alone would be flushed), everything after it in Double:
/// mish(x) = x·n/d, mish′(x) = (n·d + 4x·m)/d²;
/// x ≥ 0: n = 1 + 2u, d = n + 2u², m = u²·(1 + u); x < 0: n = u·(u + 2), d = n + 2, m = u·(1 + u)
/// (x ≥ 0 by the sign bit, so mish(−0) = −0). The derivative's two terms cancel near its
/// zero (x ≈ −1.19); in Double that costs nothing a Float result can see.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(mish)(rect_f16 x, int derivative) {
    const WIDE us = RECT_NAME(wide_exp)(RECT_NAME(negative_magnitude)(x), 8, 0), xs = RECT_NAME(widen)(x);
    WIDE y;
    for (int i = 0; i < 2; i++) {
        const rect_d8 xd = xs.half[i], u = us.half[i], two_u = u + u;
        const rect_d8 n = BY_SIGN(xd, u * (u + 2.0), 1.0 + two_u);
        const rect_d8 d = BY_SIGN(xd, n + 2.0, FMAD(two_u, u, n));
        if (derivative) {
            const rect_d8 m = BY_SIGN(xd, u * (1.0 + u), u * u * (1.0 + u));
            y.half[i] = FMAD(n, d, 4.0 * xd * m) / (d * d);
        } else {
            y.half[i] = xd * (n / d);
        }
    }
    return RECT_NAME(saturate)(x, RECT_NAME(narrow)(y), derivative);
}

/// silu′(x) = sigmoid(x) + x·sigmoid′(x), from e = e^(−|x|) taken times 2^8 (so that the
/// product stays normal a little beyond where sigmoid′(x) does not): 2^8·sigmoid =
/// 2^8·(x ≥ 0 ? 1 : e)/d, 2^8·sigmoid′ = 2^8·e/d², d = 1 + e.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(silu_derivative)(rect_f16 x) {
    const rect_f16 scaled = RECT_NAME(exponential)(RECT_NAME(exp)(RECT_NAME(negative_magnitude)(x), 8, 0));
    const rect_f16 d = 1.0f + scaled * 0x1p-8f;
    const rect_f16 sigmoid = (x >= 0.0f ? SPLAT(256.0f) : scaled) / d;
    return RECT_NAME(saturate)(x, FMA(x, scaled / (d * d), sigmoid) * 0x1p-8f, 1);
}

/// silu(x) = x/(1 + e^(−x)) on both sides (for x < 0 the exponential is large and its relative
/// error passes into the quotient as into x·e^x/(1 + e^x)): x is taken at least −109 (where the
/// result rounds to −0, so −∞ gives −0; NaN passes) and the exponential's argument from
/// c = min(x, 87) (1 + e^(−x) rounds to 1 from there), e^(−c) = 2^n·(1 + q) from
/// `expm1_reduced`; for x < −1 numerator and denominator are taken times 2^-40 (exponent
/// bits) so that 2^(n − 40) stays finite: silu(x) = x′/d, d = 2^-k + q·2^(n − k) + 2^(n − k)
/// rounded once (2^(n − k) + 2^-k is exact while n ≤ 23). Within 2 ulp of silu on every Float
/// (exhaustive sweep against Double); results below the smallest normal number may flush to zero.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(silu)(rect_f16 x) {
    const rect_f16 numerator = RECT_NAME(at_least)(SPLAT(-109.0f), x);
    const rect_u16 offset = RECT_NAME(offset_below_minus_one)(x);
    rect_f16 shifted;
    const rect_f16 q = RECT_NAME(expm1_reduced)(-RECT_NAME(at_most_bits)(numerator, 87.0f), &shifted);
    const rect_f16 scale = RECT_NAME(power_of_two)(shifted, (127u << 23) - offset);
    const rect_f16 d = FMA(q, scale, scale + FLOATS((127u << 23) - offset));
    return FLOATS(BITS(numerator) - offset) / d;
}

/// ELU and SELU: x > 0 ? λ·x : λα·expm1(x) (±0 stays), derivative x > 0 ? λ : λα·e^x, with λ
/// and λα in the parameters (λ = 1 for ELU). expm1(x) for x ≤ 0: where the reduction leaves
/// k = 0 (|x| < 0.04 is inside that) expm1 = q, the polynomial with its relative error;
/// elsewhere (scale·hi − 1) + scale·lo, the first rounded once, where |expm1| ≥ 0.04 keeps
/// the relative error near 2^-23. The derivative takes e^x times 2^8 and λα times 2^-8, so
/// λα·e^x stays normal where e^x alone is flushed.
static inline __attribute__((always_inline)) rect_f16 RECT_NAME(elu)(const rect_kernel_parameters *b, rect_f16 x) {
    const RECT_NAME(exp_pieces) p = RECT_NAME(exp)(RECT_NAME(negative_magnitude)(x), 0, 0);
    rect_f16 hi, lo;
    RECT_NAME(unscaled)(p, &hi, &lo);
    const rect_f16 large = FMA(hi, p.scale, SPLAT(-1.0f)) + lo * p.scale;
    const rect_f16 expm1 = x > -0.04f ? p.q : large;
    const rect_f16 y = x > 0.0f ? b->elu_scale * x : b->elu_negative_scale * expm1;
    return x == 0.0f ? x : y;
}

static inline __attribute__((always_inline)) rect_f16 RECT_NAME(elu_derivative)(const rect_kernel_parameters *b, rect_f16 x) {
    const rect_f16 scaled = RECT_NAME(exponential)(RECT_NAME(exp)(RECT_NAME(negative_magnitude)(x), 8, 0));
    return x > 0.0f ? SPLAT(b->elu_scale) : (b->elu_negative_scale * 0x1p-8f) * scaled;
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
#define RECT_LANES_gelu_forward(b, x, g) RECT_NAME(gelu_value)(x)
#define RECT_LANES_gelu_backward(b, x, g) ((g) * RECT_NAME(gelu_derivative)(x))
#define RECT_LANES_gelu_tanh_forward(b, x, g) RECT_NAME(gelu_tanh_value)(x)
#define RECT_LANES_gelu_tanh_backward(b, x, g) ((g) * RECT_NAME(gelu_tanh_derivative)(x))
#define RECT_LANES_silu_forward(b, x, g) RECT_NAME(silu)(x)
#define RECT_LANES_silu_backward(b, x, g) ((g) * RECT_NAME(silu_derivative)(x))
#define RECT_LANES_elu_forward(b, x, g) RECT_NAME(elu)(b, x)
#define RECT_LANES_elu_backward(b, x, g) ((g) * RECT_NAME(elu_derivative)(b, x))
#define RECT_LANES_mish_forward(b, x, g) RECT_NAME(mish)(x, 0)
#define RECT_LANES_mish_backward(b, x, g) ((g) * RECT_NAME(mish)(x, 1))
#define RECT_LANES_tanh_backward(b, x, g) \
    ((g) * RECT_NAME(bell_curve)(-(RECT_NAME(magnitude)(x) + RECT_NAME(magnitude)(x)), 2))

/// How far ahead (in floats, 2 KiB) a streaming forward pass prefetches its input. Measured
/// on Zen 4 with ReLU at 2^24, 4 MiB pieces interleaved: with 2 MiB pages the forward pass
/// went from 42 to 49 GB/s (read + write); with 4 KiB pages the change stayed within the
/// noise, and in the backward pass (two inputs) prefetching was up to 10 % slower.
#define RECT_PREFETCH_AHEAD 512

/// The loop of one kernel: a partial group up to y's first 64-byte boundary, whole lane
/// groups stored there aligned (streamed, or stored normally), then the partial group at the
/// end; partial groups are gathered into a zero-padded group. Loads are unaligned (aligning
/// y first measured 108 → 115 GB/s for ReLU in L2 with x and y 16 bytes past a line).
#define RECT_DEFINE_LOOP(kernel)                                                                   \
    static void RECT_NAME(kernel##_partial)(const rect_kernel_parameters *b, const float *x,    \
                                             const float *g, float *y, long count) {               \
        if (count <= 0) return;                                                                    \
        rect_f16 xv = SPLAT(0.0f), gv = SPLAT(0.0f);                                               \
        for (long lane = 0; lane < count; lane++) { xv[lane] = x[lane]; gv[lane] = g[lane]; }      \
        const rect_f16 yv = RECT_LANES_##kernel(b, xv, gv);                                        \
        for (long lane = 0; lane < count; lane++) y[lane] = yv[lane];                              \
    }                                                                                              \
    static inline __attribute__((always_inline)) rect_f16 RECT_NAME(kernel##_group)(             \
        const rect_kernel_parameters *b, const float *x, const float *g) {                        \
        rect_f16 xv, gv;                                                                           \
        __builtin_memcpy(&xv, x, sizeof xv);                                                       \
        __builtin_memcpy(&gv, g, sizeof gv);                                                       \
        return RECT_LANES_##kernel(b, xv, gv);                                                     \
    }                                                                                              \
    static void RECT_NAME(kernel)(const rect_kernel_parameters *b, const float *x, const float *g, \
                                  float *y, long count, int streaming) {                           \
        const long misalignment = (long)((unsigned long)y & 63);                                   \
        long i = misalignment == 0 ? 0 : (64 - misalignment) / (long)sizeof(float);                \
        if (i > count) i = count;                                                                  \
        RECT_NAME(kernel##_partial)(b, x, g, y, i);                                                \
        if (streaming && x == g) {                                                                 \
            for (; i + RECT_PREFETCH_AHEAD + 16 <= count; i += 16) {                               \
                __builtin_prefetch(x + i + RECT_PREFETCH_AHEAD, 0, 3);                             \
                __builtin_nontemporal_store(RECT_NAME(kernel##_group)(b, x + i, x + i), (rect_f16 *)(y + i)); \
            }                                                                                      \
        }                                                                                          \
        if (streaming) {                                                                           \
            for (; i + 16 <= count; i += 16)                                                       \
                __builtin_nontemporal_store(RECT_NAME(kernel##_group)(b, x + i, g + i), (rect_f16 *)(y + i)); \
            rect_store_fence();                                                                    \
        } else {                                                                                   \
            for (; i + 16 <= count; i += 16) {                                                     \
                const rect_f16 yv = RECT_NAME(kernel##_group)(b, x + i, g + i);                    \
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
RECT_DEFINE_LOOP(gelu_forward)
RECT_DEFINE_LOOP(gelu_backward)
RECT_DEFINE_LOOP(gelu_tanh_forward)
RECT_DEFINE_LOOP(gelu_tanh_backward)
RECT_DEFINE_LOOP(silu_forward)
RECT_DEFINE_LOOP(silu_backward)
RECT_DEFINE_LOOP(elu_forward)
RECT_DEFINE_LOOP(elu_backward)
RECT_DEFINE_LOOP(mish_forward)
RECT_DEFINE_LOOP(mish_backward)

static const rect_float_kernels RECT_NAME(kernels) = {
    RECT_NAME(relu_forward), RECT_NAME(leaky_forward), RECT_NAME(abs_forward), RECT_NAME(slope_backward),
    RECT_NAME(softplus_forward), RECT_NAME(softplus_backward),
    RECT_NAME(sigmoid_forward), RECT_NAME(sigmoid_backward),
    RECT_NAME(tanh_forward), RECT_NAME(tanh_backward),
    RECT_NAME(gelu_forward), RECT_NAME(gelu_backward),
    RECT_NAME(gelu_tanh_forward), RECT_NAME(gelu_tanh_backward),
    RECT_NAME(silu_forward), RECT_NAME(silu_backward),
    RECT_NAME(elu_forward), RECT_NAME(elu_backward),
    RECT_NAME(mish_forward), RECT_NAME(mish_backward),
};

#undef RECT_PREFETCH_AHEAD
#undef FMA
#undef FMAD
#undef WIDE
#undef BY_SIGN
#undef SPLAT
#undef DSPLAT
#undef BITS
#undef FLOATS
#undef BITS_D
#undef FLOATS_D
