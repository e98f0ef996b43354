import Foundation
import Plotting
import Runtime
import Testing

@Suite struct TicksTests {
    /// The step's mantissa (1, 2 or 5) and its power of ten, or nil when the step is not nice.
    private func niceParts(_ step: Double) -> (mantissa: Double, power: Double)? {
        let power = pow(10, floor(log10(step)))
        let mantissa = step / power
        for nice in [1.0, 2, 5, 10] where abs(mantissa - nice) < 1e-9 * nice {
            return nice == 10 ? (1, power * 10) : (nice, power)
        }
        return nil
    }

    /// The nice step just below `step` (5 → 2 → 1 → 0.5 …).
    private func smallerNiceStep(_ step: Double) -> Double {
        let (mantissa, power) = niceParts(step)!
        switch mantissa {
        case 5: return 2 * power
        case 2: return power
        default: return 0.5 * power
        }
    }

    @Test func linearTicksAreNiceEvenlySpacedCoveringAndAsFineAsAllowed() {
        var random = SplitMix64(state: 7)
        for _ in 0..<3000 {
            let magnitude = pow(10, Double.random(in: -8...8, using: &random))
            let center = Double.random(in: -1...1, using: &random) * magnitude
            let span = magnitude * pow(10, Double.random(in: -4...1, using: &random))
            let lower = center - span / 2, upper = center + span / 2
            let maxCount = Int.random(in: 3...12, using: &random)
            let ticks = Ticks.linear(covering: lower...upper, maxCount: maxCount)

            #expect(ticks.count >= 2 && ticks.count <= maxCount, "\(lower)...\(upper) max \(maxCount): \(ticks)")
            #expect(ticks.first! <= lower && ticks.last! >= upper, "\(lower)...\(upper): \(ticks)")
            let step = ticks[1] - ticks[0]
            guard let parts = niceParts(step) else {
                Issue.record("step \(step) of \(ticks) is not 1, 2 or 5 × 10^k")
                continue
            }
            for (a, b) in zip(ticks, ticks.dropFirst()) {
                #expect(abs((b - a) - step) <= 1e-9 * step, "uneven spacing in \(ticks)")
            }
            for tick in ticks {
                let multiple = tick / step
                #expect(abs(multiple - multiple.rounded()) < 1e-6, "\(tick) is not a multiple of \(step)")
            }
            // The next finer nice step would have needed more ticks than allowed.
            let finer = smallerNiceStep(parts.mantissa * parts.power)
            let finerCount = Int((upper / finer - 1e-9).rounded(.up)) - Int((lower / finer + 1e-9).rounded(.down)) + 1
            #expect(finerCount > maxCount, "\(lower)...\(upper) max \(maxCount): step \(finer) would give \(finerCount)")
        }
    }

    @Test func linearTicksAreTheExactDecimals() {
        let ticks = Ticks.linear(covering: 0...0.3, maxCount: 4)
        #expect(ticks.contains(0.3))
        #expect(ticks.contains(0.1))
        #expect(Ticks.linear(covering: -0.7...0.7, maxCount: 9).contains(-0.6))
    }

    @Test func degenerateAndNonFiniteRanges() {
        let single = Ticks.linear(covering: 5...5, maxCount: 5)
        #expect(single.count >= 2 && single.first! < 5 && single.last! > 5)
        let zero = Ticks.linear(covering: 0...0, maxCount: 5)
        #expect(zero.count >= 2 && zero.first! < 0 && zero.last! > 0)
        let subnormal = Ticks.linear(covering: 0...Double.leastNonzeroMagnitude, maxCount: 5)
        #expect(subnormal.count >= 2 && subnormal.first! <= 0 && subnormal.last! >= Double.leastNonzeroMagnitude)
        let tinySpan = Ticks.linear(covering: -1e-310...(-1e-310 + 1e-323), maxCount: 5)
        #expect(tinySpan.count >= 2 && tinySpan.first! <= -1e-310 && tinySpan.last! >= -1e-310)
        #expect(Ticks.linear(covering: -Double.infinity...1, maxCount: 5).isEmpty)
        #expect(Ticks.logarithmic(covering: 0...10, maxCount: 5).isEmpty)
        #expect(Ticks.logarithmic(covering: -1...10, maxCount: 5).isEmpty)
    }

    @Test func hugeRangesStillGiveFiniteTicks() {
        let ticks = Ticks.linear(covering: -1e308...1e308, maxCount: 5)
        #expect(!ticks.isEmpty && ticks.first! <= -1e308 && ticks.last! >= 1e308)
        #expect(Ticks.linear(covering: 1e15...(1e15 + 1), maxCount: 5).count >= 2)
    }

    @Test func logarithmicTicksAreOneTwoFiveOrPowersOfTenAndCover() {
        var random = SplitMix64(state: 11)
        for _ in 0..<2000 {
            let lower = pow(10, Double.random(in: -30...30, using: &random))
            let upper = lower * pow(10, Double.random(in: 0...12, using: &random))
            let maxCount = Int.random(in: 2...10, using: &random)
            let ticks = Ticks.logarithmic(covering: lower...upper, maxCount: maxCount)
            #expect(ticks.count >= 2 && ticks.count <= maxCount, "\(lower)...\(upper) max \(maxCount): \(ticks)")
            #expect(ticks.first! <= lower * (1 + 1e-12) && ticks.last! >= upper * (1 - 1e-12))
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 })
            for tick in ticks {
                let mantissa = tick / pow(10, floor(log10(tick) + 1e-12))
                #expect(abs(mantissa - mantissa.rounded()) < 1e-9 && mantissa.rounded() <= 9, "\(tick) in \(ticks)")
            }
        }
    }

    @Test func logarithmicTicksPreferDenseMantissasWhenThereIsRoom() {
        #expect(Ticks.logarithmic(covering: 0.2...0.5, maxCount: 6) == [0.2, 0.3, 0.4, 0.5])
        #expect(Ticks.logarithmic(covering: 0.05...0.9, maxCount: 6) == [0.05, 0.1, 0.2, 0.5, 1])
        #expect(Ticks.logarithmic(covering: 0.001...1000, maxCount: 8) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
    }
}
