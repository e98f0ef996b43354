// The Float kernels of the family (ReLU, leaky ReLU, abs and the slope-times-gradient
// backward of the piecewise-linear ones; softplus, sigmoid, tanh, GELU in both forms, SiLU,
// ELU and SELU, Mish forward and backward), compiled once per instruction set and chosen at run time from the CPU's
// features, so a binary built for baseline x86-64 runs the AVX2 or AVX-512 code where the CPU
// has it and never executes an instruction the CPU lacks.
#ifndef RECTIFIER_C_ACTIVATION_DISPATCH_H
#define RECTIFIER_C_ACTIVATION_DISPATCH_H

/// The instruction sets the kernels are compiled for (x86-64; elsewhere only the first).
enum rect_instruction_set {
    /// The build's own target: SSE2 on x86-64 (FMA through libm's fmaf, exact but slow).
    rect_baseline = 0,
    /// AVX2 + FMA (Haswell, Zen and later).
    rect_avx2 = 1,
    /// AVX-512 F, DQ, BW and VL (Skylake-SP, Ice Lake, Zen 4 and later).
    rect_avx512 = 2,
};

/// A kernel's parameters: softplus's β (β = βhi + βlo, 1/β = ihi + ilo in Float pairs, 2^k
/// keeping the exponential's tail normal for β < 1; `scaled` is 0 for β = 1, whose pairs are
/// unused) and threshold; leaky ReLU's slope; the backward slopes below zero and at ±0;
/// ELU's and SELU's λ and λα (Float).
typedef struct {
    float beta_hi, beta_lo, inverse_hi, inverse_lo, offset_inverse, threshold;
    int exponent_offset, scaled;
    float slope, slope_below_zero, slope_at_zero;
    float elu_scale, elu_negative_scale;
} rect_kernel_parameters;

/// One kernel over `count` elements: `y[i] = f(x[i])` (forward; `g` is read as `x`) or
/// `y[i] = g[i]·f′(x[i])` (backward). `y` may equal `x` or `g`; otherwise no overlap.
/// `streaming` writes `y` with non-temporal stores (then `sfence`).
typedef void (*rect_float_kernel)(
    const rect_kernel_parameters *parameters, const float *x, const float *g, float *y,
    long count, int streaming);

/// The kernels of one instruction set.
typedef struct {
    rect_float_kernel relu_forward, leaky_forward, abs_forward, slope_backward;
    rect_float_kernel softplus_forward, softplus_backward;
    rect_float_kernel sigmoid_forward, sigmoid_backward;
    rect_float_kernel tanh_forward, tanh_backward;
    rect_float_kernel gelu_forward, gelu_backward, gelu_tanh_forward, gelu_tanh_backward;
    rect_float_kernel silu_forward, silu_backward, elu_forward, elu_backward;
    rect_float_kernel mish_forward, mish_backward;
} rect_float_kernels;

/// The best instruction set this CPU and operating system run (the OS must save the
/// YMM/ZMM registers), looked up once.
enum rect_instruction_set rect_best_instruction_set(void);

/// The kernels compiled for `set`, or NULL when this CPU cannot run them.
const rect_float_kernels *rect_float_kernels_for(enum rect_instruction_set set);

#endif
