import Activations
import Experiments
import Networks
import Testing

/// The learning-rate tuning: the grid, the choice rule on scores known by construction, and
/// a real tuning on small synthetic data, cached by the context.
@Suite struct TuningTests {
    @Test func gridsAreLogSpacedAndHoldTheSharedRatesExactly() {
        let sgd = LearningRateTuning.logSpaced(from: 1e-3, to: 1e-1, count: 5)
        #expect(sgd.count == 5 && sgd.first == 1e-3 && sgd[2] == 0.01 && sgd.last == 0.1)
        for (a, b) in zip(sgd, sgd.dropFirst()) { #expect(abs(b / a - 10.0.squareRoot()) < 1e-12) }
        let tuning = LearningRateTuning.standard(full: false)
        #expect(tuning.adamRates.contains(1e-3) && tuning.sgdRates.contains(0.01))
        #expect(tuning.rates(for: .adam()).count >= 5 && tuning.rates(for: .sgdMomentum()).count >= 5)
        #expect(LearningRateTuning.logSpaced(from: 0.5, to: 2, count: 1) == [0.5])
    }

    @Test func tuningSeedsAreNeverMeasuringSeeds() {
        for full in [false, true] {
            #expect(LearningRateTuning.standard(full: full).seeds.allSatisfy { $0 >= 1_000_000 })
        }
    }

    @Test func chooseTakesTheBestScoreBothWays() {
        let rates = [0.001, 0.01, 0.1]
        // Peaked in the middle: the middle; peaked at the top: the top.
        #expect(LearningRateTuning.choose(rates: rates) { $0 == 0.01 ? 0.9 : 0.5 }.rate == 0.01)
        #expect(LearningRateTuning.choose(rates: rates) { $0 }.rate == 0.1)
        #expect(LearningRateTuning.choose(rates: rates) { -$0 }.rate == 0.001)
        // A tie goes to the smaller rate; NaN (a failed score) counts as the worst.
        #expect(LearningRateTuning.choose(rates: rates) { $0 == 0.001 ? 0.3 : 0.7 }.rate == 0.01)
        #expect(LearningRateTuning.choose(rates: rates) { $0 == 0.1 ? .nan : $0 }.rate == 0.01)
        #expect(LearningRateTuning.choose(rates: rates) { _ in .nan }.rate == 0.001)
        #expect(LearningRateTuning.choose(rates: []) { _ in 1 }.rate.isNaN)
    }

    @Test func tunesOnRealTrainingAndTheContextReusesTheResult() throws {
        let directory = SyntheticData.temporaryDirectory("tuning")
        let images = try SequenceFixtures.images(count: 200)
        let context = try ExperimentContext(outputDirectory: directory, seeds: 1, images: images)
        let tuning = LearningRateTuning(
            budget: TrialBudget(hiddenSizes: [16], epochs: 2, batchSize: 20, probeSize: 1),
            sizes: .init(training: 150, validation: 50), seeds: [1_000_000],
            sgdRates: LearningRateTuning.logSpaced(from: 1e-3, to: 1e-1, count: 5),
            // Rates so large the network diverges at the top: the tuning must avoid them.
            adamRates: [1e-3, 1e-2, 1e1, 1e3, 1e5])
        let tuned = try tuning.tune([.fixed(.relu), .fixed(.tanh)], optimizers: [.adam()], context: context)
        #expect(tuned.rates.count == 2)
        for rate in tuned.rates {
            #expect(rate.validationAccuracies.count == 5 && rate.grid == tuning.adamRates)
            #expect(rate.tunedLearningRate <= 1e-2)
            #expect(rate.sharedLearningRate == 1e-3)
            let best = rate.validationAccuracies.max()!
            #expect(rate.validationAccuracies[rate.grid.firstIndex(of: rate.tunedLearningRate)!] == best)
        }
        // Asked again in the same context: the cached result, identical.
        let again = try tuning.tune([.fixed(.tanh)], optimizers: [.adam()], context: context)
        #expect(again.rates == [tuned.rates[1]])
        let trials = tuned.trials(activations: [.fixed(.relu), .fixed(.sigmoid)], seeds: [0, 1], optimizers: [.adam()])
        #expect(trials.count == 2 && trials.allSatisfy { $0.optimizer.name == "adam-tuned" && $0.optimizer.isTuned })
        #expect(trials[0].optimizer.configuration.learningRate == tuned.rate(activation: "relu", optimizer: "adam"))
        #expect(tuned.table.rows.count == 2)
    }
}
