import Activations
import ArgumentParser
import Dispatch
import Foundation
import Runtime
import Synchronization

/// `rectifier bench accuracy [--exhaustive] [--threads N]`: the Float kernels of the
/// transcendental members against their definitions' formulas evaluated in Double.
struct BenchAccuracyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Measure the Float kernels' error in ulp against the functions in Double.",
        discussion: """
            For softplus (β = 1 and 2), sigmoid, tanh, gelu, gelu:tanh, silu, elu, selu and mish, \
            values and derivatives: the Float kernel's result for each input against the \
            definition's formula evaluated in Double \
            (not rounded), as the largest distance in representable Floats from the correctly \
            rounded value and, in brackets, before rounding to whole steps. Where the rounded \
            value is below the smallest normal Float a result no larger than it counts as a \
            flush, not an error. Near the zeros of gelu′, silu′ and mish′ (x in [−3, 0], |f′| < 1/8) a \
            result within 2^-24 of the reference is counted as cancelled, not in ulps. \
            Without --exhaustive every 4093rd bit pattern (2^20 inputs).
            """)

    @Flag(help: "Sweep all 2^32 Float bit patterns (minutes).")
    var exhaustive = false

    @Option(help: "Threads (default: all processors).")
    var threads: Int = Execution.processorCount

    func validate() throws { try requireRange(threads, 1...maximumThreads, flag: "--threads") }

    func run() {
        print(BenchActivationsCommand.machine)
        print("kernel        inputs         max ulp  (before rounding)  at x             flushed   cancelled  seconds")
        for (name, activation, derivative) in AccuracySweep.kernels {
            let start = MonotonicClock.now
            let worst = AccuracySweep.sweep(
                activation, derivative: derivative, count: exhaustive ? 1 << 32 : 1 << 20,
                step: exhaustive ? 1 : 4093, threads: threads)
            let seconds = MonotonicClock.now - start
            let ulp = worst.steps == .max ? "NaN" : String(worst.steps)
            // Each column at least one space wider than its text.
            func column(_ text: String, _ width: Int) -> String { (text + " ").padded(to: width) }
            print(
                column(name, 14) + column(String(worst.inputs), 15) + column(ulp, 9)
                    + column("(\(String(format: "%.3f", worst.fraction)))", 19) + column("\(worst.at)", 17)
                    + column(String(worst.flushed), 10) + column(String(worst.cancelled), 11)
                    + String(format: "%.1f", seconds))
        }
    }
}

/// The sweep behind `rectifier bench accuracy`.
package enum AccuracySweep {
    package static let kernels: [(String, Activation, Bool)] = [
        ("softplus", .softplus, false), ("softplus β=2", try! .softplus(beta: 2), false),
        ("softplus′", .softplus, true), ("sigmoid", .sigmoid, false), ("sigmoid′", .sigmoid, true),
        ("tanh", .tanh, false), ("tanh′", .tanh, true),
        ("gelu", .gelu, false), ("gelu′", .gelu, true),
        ("gelu:tanh", .gelu(GELU(approximation: .tanh)), false), ("gelu:tanh′", .gelu(GELU(approximation: .tanh)), true),
        ("silu", .silu, false), ("silu′", .silu, true), ("elu", .elu, false), ("elu′", .elu, true),
        ("selu", .selu, false), ("selu′", .selu, true), ("mish", .mish, false), ("mish′", .mish, true),
    ]

    /// Where a derivative cancels near its zero (gelu′, silu′, mish′ for x in [−3, 0] where
    /// |f′| < 1/8), a result within 2^-24 of the reference is counted as `cancelled`, not in ulps.
    static func cancelling(_ activation: Activation, derivative: Bool) -> Bool {
        switch activation {
        case .gelu, .silu, .mish: derivative
        default: false
        }
    }

    /// The worst error of one kernel over the swept inputs.
    package struct Worst: Sendable {
        package var inputs = 0
        package var steps = 0
        package var fraction = 0.0
        package var at: Float = 0
        package var flushed = 0
        /// Results near a derivative's zero within 2^-24 absolute (see ``cancelling(_:derivative:)``).
        package var cancelled = 0

        package init() {}

        mutating func merge(_ other: Worst) {
            inputs += other.inputs
            flushed += other.flushed
            cancelled += other.cancelled
            fraction = max(fraction, other.fraction)
            if other.steps > steps { (steps, at) = (other.steps, other.at) }
        }
    }

    /// The bit patterns i·step (mod 2^32) for i < count, distinct for an odd step, in blocks of
    /// 2^16 (count a multiple of it; a block stays on its thread inside the kernel) spread
    /// over `threads` threads.
    package static func sweep(
        _ activation: Activation, derivative: Bool, count: Int, step: UInt64, threads: Int
    ) -> Worst {
        let block = 1 << 16
        let total = Mutex(Worst())
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var x = [Float](repeating: 0, count: block), y = x
            let ones = [Float](repeating: 1, count: block)
            var worst = Worst()
            let cancelling = cancelling(activation, derivative: derivative)
            for start in stride(from: thread * block, to: count, by: threads * block) {
                for i in 0..<block {
                    x[i] = Float(bitPattern: UInt32(truncatingIfNeeded: UInt64(start + i) &* step))
                }
                x.withUnsafeBufferPointer { input in
                    y.withUnsafeMutableBufferPointer { output in
                        if derivative {
                            ones.withUnsafeBufferPointer {
                                activation.backward(input: input, gradientOutput: $0, into: output)
                            }
                        } else {
                            activation.forward(input, into: output)
                        }
                    }
                }
                for i in 0..<block {
                    let r = reference(activation, x[i], derivative: derivative)
                    if cancelling, x[i] >= -3, x[i] <= 0, r.magnitude < 0.125, (Double(y[i]) - r).magnitude <= 0x1p-24 {
                        worst.inputs += 1
                        worst.cancelled += 1
                        continue
                    }
                    worst.add(y[i], r, at: x[i])
                }
            }
            total.withLock { $0.merge(worst) }
        }
        return total.withLock { $0 }
    }

    /// The definition's formula in Double, not rounded to Float.
    @inline(__always)
    static func reference(_ activation: Activation, _ x: Float, derivative: Bool) -> Double {
        func wide(_ f: some TranscendentalActivation) -> Double {
            derivative ? f.derivative(x, evaluatedIn: Double.self) : f.value(x, evaluatedIn: Double.self)
        }
        switch activation {
        case .softplus(let f): return wide(f)
        case .sigmoid: return wide(Sigmoid())
        case .tanh: return wide(Tanh())
        case .gelu(let f): return wide(f)
        case .silu: return wide(SiLU())
        case .elu(let f): return wide(f)
        case .selu: return wide(SELU())
        case .mish: return wide(Mish())
        case .identity, .relu, .leakyReLU, .abs:
            return derivative ? activation.derivative(Double(x)) : activation.value(Double(x))
        }
    }
}

extension AccuracySweep.Worst {
    /// Counts one result against the reference r.
    @inline(__always)
    package mutating func add(_ result: Float, _ r: Double, at x: Float) {
        inputs += 1
        let rounded = Float(r)
        if r.isNaN || result.isNaN {
            if r.isNaN != result.isNaN, steps < .max { (steps, at) = (.max, x) }
            return
        }
        if rounded.magnitude < .leastNormalMagnitude, result.magnitude <= .leastNormalMagnitude {
            if result != rounded { flushed += 1 }
            return
        }
        let distance = Int((Self.ordered(result) - Self.ordered(rounded)).magnitude)
        if distance > steps { (steps, at) = (distance, x) }
        if rounded.isFinite {
            fraction = max(fraction, (Double(result) - r).magnitude / Double(rounded.ulp))
        }
    }

    /// The bits as an integer that orders like the values (±0 both 0).
    @inline(__always)
    static func ordered(_ value: Float) -> Int64 {
        let magnitude = Int64(value.magnitude.bitPattern)
        return value.sign == .minus ? -magnitude : magnitude
    }
}
