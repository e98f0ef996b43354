import CQuantKernels
import Runtime
import Synchronization

/// The affine map between real values and 8-bit activation codes (uint8, asymmetric):
///
/// ```
/// real = scale · (code − zeroPoint),   code ∈ 0...255
/// code = clamp(roundTiesToEven(real / scale) + zeroPoint, 0, 255)
/// ```
///
/// Activations are unsigned with a zero point (gemmlowp's and ONNX Runtime's convention for
/// activations) because rectifier outputs are non-negative: a ReLU layer gets zero point 0 and
/// all 256 codes for [0, max], and 8-bit image pixels are their own codes (scale 1/255,
/// zero point 0). The zero point is an integer, so 0 is exactly representable (zero padding
/// and ReLU's clamp are exact). Weights are signed and symmetric (``QuantizedWeights``).
public struct QuantizationParameters: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Real units per code step (> 0, finite, at least ``minimumScale``).
    public let scale: Float
    /// The code that stands for real 0 (0...255).
    public let zeroPoint: Int32

    /// The smallest scale ``init(covering:)`` produces: a range narrower than
    /// `255 · minimumScale` (about 1.4e−17) is widened to it, so later divisions by the scale
    /// and products of scales stay far from Float's underflow.
    public static let minimumScale: Float = 0x1p-64

    /// Codes run from 0 to 255.
    public static let codeRange: ClosedRange<Int32> = 0...255

    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` when `scale` is
    ///   not finite or below ``minimumScale``, or `zeroPoint` is outside 0...255.
    public init(scale: Float, zeroPoint: Int32) throws(QuantizationError) {
        guard scale.isFinite, scale >= Self.minimumScale else {
            throw .invalidParameter(
                name: "scale", value: Double(scale), allowed: "a finite number ≥ 2^-64")
        }
        guard Self.codeRange.contains(zeroPoint) else {
            throw .invalidParameter(
                name: "zero point", value: Double(zeroPoint), allowed: "an integer in 0...255")
        }
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The parameters whose codes cover `range` widened to contain 0 (TFLite's "nudged" zero
    /// point): `scale = (max − min) / 255`, `zeroPoint = round(−min / scale)`.
    ///
    /// A range that is only `0...0` (a calibration that saw only zeros) gets scale 1 and zero
    /// point 0: every code is valid and 0 is exact. A constant `c` gives `0...c` (or `c...0`).
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` when a bound is NaN
    ///   or infinite.
    public init(covering range: ClosedRange<Float>) throws(QuantizationError) {
        for (index, bound) in [range.lowerBound, range.upperBound].enumerated()
        where !bound.isFinite {
            throw .nonFiniteValue(what: "range bounds", index: index, value: bound)
        }
        let lower = Double(Swift.min(range.lowerBound, 0))
        let upper = Double(Swift.max(range.upperBound, 0))
        if lower == 0 && upper == 0 {
            self.scale = 1
            self.zeroPoint = 0
            return
        }
        let scale = Swift.max(Float((upper - lower) / 255), Self.minimumScale)
        let zeroPoint = (-lower / Double(scale)).rounded(.toNearestOrEven)
        self.scale = scale
        self.zeroPoint = Int32(Swift.min(Swift.max(zeroPoint, 0), 255))
    }

    /// The real values the codes 0 and 255 stand for.
    public var representableRange: ClosedRange<Float> {
        dequantize(0)...dequantize(255)
    }

    /// The code nearest to `x` (ties to even, as ONNX's QuantizeLinear), saturating at 0 and
    /// 255; ±∞ saturate too.
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` for NaN.
    @inlinable
    public func quantize(_ x: Float) throws(QuantizationError) -> UInt8 {
        guard !x.isNaN else { throw .nonFiniteValue(what: "input", index: 0, value: x) }
        return code(x)
    }

    /// `scale · (code − zeroPoint)`, rounded once to Float.
    @inlinable
    public func dequantize(_ code: UInt8) -> Float {
        Float(Double(scale) * Double(Int32(code) - zeroPoint))
    }

    /// Quantises a buffer, with exactly the codes of ``quantize(_:)-(Float)``; O(n).
    ///
    /// Float lanes, no division: `r = round(x · (1/scale))`, then two fused multiply-adds give
    /// the exact signs of `x − (r ∓ ½)·scale`, which confirm that r is the nearest code of the
    /// true quotient. Values they cannot confirm (a tie, or a product that rounded across a
    /// half: about 1 in 10^4 for arbitrary data, none for 8-bit pixels at scale 1/255) are
    /// redone with the division, looking again only at the blocks of 256 that hold one.
    /// Beyond 1024 steps the code saturates either way. Blocks are spread over
    /// ``Runtime/Execution/threads`` threads when there are many. `path` `.avx2` runs the same arithmetic in the C
    /// kernel `cq_quantize_f32_avx2` where the CPU has AVX2 and FMA, `.avx512vnni` in
    /// `cq_quantize_f32_avx512` where the CPU has AVX-512 (and VNNI).
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` naming the first NaN.
    /// - Precondition: the buffers have the same count.
    public func quantize(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<UInt8>,
        path: IntegerGEMM.Path = .automatic
    ) throws(QuantizationError) {
        precondition(input.count == output.count, "quantize: input and output counts differ")
        let inverse = 1 / scale
        let usesAVX2 = path != .portable && Self.isAVX2FMAAvailable
        let kernel = path.usesVNNI ? cq_quantize_f32_avx512 : cq_quantize_f32_avx2
        let blocks = (input.count + 255) / 256
        let doubtful: [Int] = withUnsafeTemporaryAllocation(of: Bool.self, capacity: blocks) { flags in
            // Runs of 64 blocks, claimed by the threads as they finish (a thread the system
            // runs late holds up one run, not half the buffer).
            let runs = (blocks + 63) / 64, next = Atomic<Int>(0)
            let shared = UncheckedSendable((input, output, flags, kernel))
            WorkerPool.shared.run(blocks: Swift.min(Execution.current.threads, runs)) { _ in
                let (input, output, flags, kernel) = shared.value
                while case let run = next.wrappingAdd(1, ordering: .relaxed).oldValue, run < runs {
                    for index in 64 * run..<Swift.min(64 * run + 64, blocks) {
                        let start = 256 * index, block = start..<Swift.min(start + 256, input.count)
                        flags[index] =
                            usesAVX2
                            ? kernel(
                                input.baseAddress! + start, output.baseAddress! + start, block.count, scale,
                                inverse, Float(zeroPoint)) != 0
                            : quantizeLanes(input, block, into: output)
                    }
                }
            }
            return (0..<blocks).filter { flags[$0] }
        }
        for blockIndex in doubtful {
            let block = 256 * blockIndex..<Swift.min(256 * blockIndex + 256, input.count)
            for index in block where doubt(input[index], inverse: inverse) != 0 {
                let x = input[index]
                guard !x.isNaN else { throw .nonFiniteValue(what: "input", index: index, value: x) }
                output[index] = code(x)
            }
        }
    }

    /// Whether ``quantize(_:into:)`` runs the AVX2 kernel (`cq_quantize_f32_avx2`, the same
    /// arithmetic as ``quantizeLanes(_:_:into:)`` in eight lanes with `vroundps` and
    /// `vfmadd`): Swift compiled for baseline x86-64 (SwiftPM's default) calls libm's `rintf`
    /// and `fmaf` per element, which made quantising the input slower than the first layer's
    /// GEMM in such a build.
    static let isAVX2FMAAvailable: Bool = cq_cpu_has_avx2_fma() != 0

    /// Codes of `block` by the reciprocal; true when one of them is in doubt. Kept out of the
    /// throwing function, whose error path stops LLVM from vectorising the loop.
    private func quantizeLanes(
        _ input: UnsafeBufferPointer<Float>, _ block: Range<Int>, into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Bool {
        let inverse = 1 / scale, zero = Float(zeroPoint)
        var doubtful: Int32 = 0
        for index in block {
            let x = input[index]
            let rounded = (x * inverse).rounded(.toNearestOrEven)
            doubtful |= doubt(x, inverse: inverse)
            let code = rounded + zero
            let clamped = code > 0 ? (code < 255 ? code : 255) : 0
            // Adding 2^23 puts the integer in the low significand bits: no checked conversion.
            output[index] = UInt8(truncatingIfNeeded: (clamped + 0x1p23).bitPattern)
        }
        return doubtful != 0
    }

    /// 1 when `round(x · inverse)` may not be the nearest code of x: x is not strictly inside
    /// `((r − ½)·scale, (r + ½)·scale)`, or is NaN (which fails every comparison). Int32 flags
    /// rather than `&&` and `||`, so loops around it vectorise.
    @inline(__always)
    private func doubt(_ x: Float, inverse: Float) -> Int32 {
        let rounded = (x * inverse).rounded(.toNearestOrEven)
        let aboveLower = x.addingProduct(0.5 - rounded, scale)
        let belowUpper = x.addingProduct(-0.5 - rounded, scale)
        let outside: Int32 = (aboveLower > 0 ? 0 : 1) | (belowUpper < 0 ? 0 : 1)
        return outside & ((x * inverse).magnitude >= 1024 ? 0 : 1)
    }

    /// `clamp(value, 0, 255)` as a code, for an integral value; NaN gives 0 (the caller reports
    /// it). Adding 2^52 puts the integer in the low significand bits: no checked conversion,
    /// so the loops around it vectorise.
    @inlinable
    static func saturatedCode(_ value: Double) -> UInt8 {
        let clamped = value > 0 ? (value < 255 ? value : 255) : 0
        return UInt8(truncatingIfNeeded: (clamped + 0x1p52).bitPattern)
    }

    /// Dequantises a buffer; O(n).
    /// - Precondition: the buffers have the same count.
    public func dequantize(
        _ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(input.count == output.count, "dequantize: input and output counts differ")
        for index in input.indices { output[index] = dequantize(input[index]) }
    }

    /// For a non-NaN x. Division in Double, so the quotient is the exact one rounded once.
    @inlinable
    func code(_ x: Float) -> UInt8 {
        Self.saturatedCode((Double(x) / Double(scale)).rounded(.toNearestOrEven) + Double(zeroPoint))
    }

    public var description: String { "scale \(scale), zero point \(zeroPoint)" }
}
