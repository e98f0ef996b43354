import Activations
import RectifierCLI
import Testing

/// `rectifier bench accuracy`: the error count on constructed results, and the kernels within
/// their documented bounds on a spread of bit patterns.
@Suite struct BenchAccuracyTests {
    @Test func errorsAreCountedInStepsFromTheRoundedReference() {
        var worst = AccuracySweep.Worst()
        worst.add(1, 1, at: 0)
        #expect(worst.steps == 0 && worst.fraction == 0)
        // Three Floats above 1 against the reference 1: 3 steps, 3 ulp before rounding.
        worst.add(Float(1).nextUp.nextUp.nextUp, 1, at: 5)
        #expect(worst.steps == 3 && worst.at == 5)
        #expect(abs(worst.fraction - 3) < 1e-9)
        // Half an ulp off before rounding, none after.
        var half = AccuracySweep.Worst()
        half.add(1, 1 + 0x1p-24, at: 0)
        #expect(half.steps == 0 && half.fraction == 0.5)
        // A flush to zero below the smallest normal is counted apart, not as an error.
        worst.add(0, 1e-40, at: -90)
        #expect(worst.flushed == 1 && worst.steps == 3)
        // NaN where the reference is a number is the largest error.
        worst.add(.nan, 0.5, at: 7)
        #expect(worst.steps == .max && worst.at == 7)
        #expect(worst.inputs == 4)
    }

    @Test func kernelsStayWithinTheirBoundsOnASpreadOfInputs() {
        for (name, activation, derivative) in AccuracySweep.kernels {
            let worst = AccuracySweep.sweep(
                activation, derivative: derivative, count: 1 << 16, step: 65_519, threads: 2)
            let bounds = ["mish": 3, "mish′": 7, "gelu": 3, "gelu:tanh": 3, "gelu:tanh′": 8, "silu′": 4]
            let bound = bounds[name] ?? (name.hasPrefix("softplus") && !derivative ? 1 : 2)
            #expect(worst.inputs == 1 << 16)
            #expect(worst.steps <= bound, "\(name): \(worst.steps) ulp at \(worst.at)")
        }
    }
}
