#ifndef C_DATA_KERNELS_H
#define C_DATA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU has PCLMULQDQ and SSE4.1 (what crc32_fold_pclmul needs), else 0.
int crc32_fold_available(void);

/// The IEEE CRC-32 (zlib's crc32) of `length` bytes continued from `crc`, for `length` a
/// multiple of 16 and at least 64: folds four 128-bit lanes by carry-less multiplication
/// (Gopal, Ozturk et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ
/// Instruction", Intel 2009), then a Barrett reduction to 32 bits.
/// Call only when crc32_fold_available() returns 1.
uint32_t crc32_fold_pclmul(uint32_t crc, const uint8_t *bytes, size_t length);

#endif
