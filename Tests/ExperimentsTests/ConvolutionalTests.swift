import Experiments
import Foundation
import Networks
import Testing

/// The convolutional experiment: its three-state rules on constructed inputs whose verdict
/// is known, both ways; the rate choice; and one run end to end on small square images.
@Suite struct ConvolutionalVerdictTests {
    private func bounds(_ values: [Double], budget: Double = 10) -> [ThreeWayVerdict.Bound] {
        values.map { ThreeWayVerdict.Bound($0, budget: budget) }
    }

    @Test func fasterIsSupportedOnlyWhenEveryPairingShowsTheMargin() {
        // Slowest fast seed 2.2 × 1.1 = 2.42 ≤ fastest slow seed 3.
        #expect(ThreeWayVerdict.faster(bounds([2, 2.1, 2.2]), than: bounds([3, 3.1, 3.5]), margin: 0.1) == .supported)
        // Exactly at the margin counts: 2 × 1.1 = 2.2.
        #expect(ThreeWayVerdict.faster(bounds([2, 2, 2]), than: bounds([2.2, 2.3, 2.4]), margin: 0.1) == .supported)
    }

    @Test func fasterIsNotSupportedWhenNoPairingShowsTheMargin() {
        // The slowest slow seed 3.2 < 1.1 × the fastest fast seed 3 = 3.3: tanh level or faster.
        #expect(ThreeWayVerdict.faster(bounds([3, 3, 3.1]), than: bounds([2, 2.5, 3.2]), margin: 0.1) == .notSupported)
        // Slow faster on every seed.
        #expect(ThreeWayVerdict.faster(bounds([5, 6]), than: bounds([1, 2]), margin: 0.1) == .notSupported)
    }

    @Test func overlappingSeedsAreInconclusive() {
        #expect(ThreeWayVerdict.faster(bounds([2, 2.5, 4]), than: bounds([3, 4.5, 5]), margin: 0.1) == .inconclusive)
        #expect(ThreeWayVerdict.faster([], than: bounds([3]), margin: 0.1) == .inconclusive)
        #expect(ThreeWayVerdict.faster(bounds([3]), than: [], margin: 0.1) == .inconclusive)
    }

    @Test func aSeedThatNeverGotThereIsALowerBound() {
        // Slow never got there in a budget of 10: it took ≥ 10 ≥ 1.1 × 4.
        #expect(ThreeWayVerdict.faster(bounds([3, 4]), than: bounds([.infinity, 9.5]), margin: 0.1) == .supported)
        // Slow never got there but fast needed 9.5: ≥ 10 is not ≥ 10.45, and could be: open.
        #expect(ThreeWayVerdict.faster(bounds([9.5]), than: bounds([.infinity]), margin: 0.1) == .inconclusive)
        // Neither got there: nothing is known.
        #expect(ThreeWayVerdict.faster(bounds([.infinity]), than: bounds([.infinity]), margin: 0.1) == .inconclusive)
        // Fast never got there, slow in 2: slow faster on every seed.
        #expect(ThreeWayVerdict.faster(bounds([.infinity]), than: bounds([2]), margin: 0.1) == .notSupported)
    }

    @Test func amongBestComparesEverySeedWithTheFieldsMedianLessTheMargin() {
        let field: [[Double]] = [[0.80, 0.82], [0.85, 0.87], [0.90, 0.90]]  // means 0.81, 0.86, 0.90: median 0.86
        #expect(ThreeWayVerdict.amongBest([0.856, 0.87], field: field, margin: 0.005) == .supported)
        #expect(ThreeWayVerdict.amongBest([0.80, 0.854], field: field, margin: 0.005) == .notSupported)
        #expect(ThreeWayVerdict.amongBest([0.85, 0.87], field: field, margin: 0.005) == .inconclusive)
        #expect(ThreeWayVerdict.amongBest([0.9], field: [], margin: 0.005) == .inconclusive)
        #expect(ThreeWayVerdict.median([4, 1, 3, 2]) == 2.5)
        #expect(ThreeWayVerdict.median([]).isNaN)
    }

    @Test func fewerThanThreeSeedsGiveNoVerdict() {
        #expect(ThreeWayVerdict.supported.requiring(seeds: 2) == .inconclusive)
        #expect(ThreeWayVerdict.notSupported.requiring(seeds: 3) == .notSupported)
        let claim = ThreeWayVerdict.inconclusive.claim("c", measured: "m", seeds: 1)
        #expect(!claim.supported && claim.measured.hasPrefix("too few seeds for a verdict"))
        #expect(ThreeWayVerdict.supported.claim("c", measured: "m", seeds: 3).supported)
        #expect(ThreeWayVerdict.inconclusive.claim("c", measured: "m", seeds: 3).measured.hasPrefix("inconclusive"))
    }

    @Test func tuningPicksTheBestValidationAccuracyAndTheSmallerRateOnATie() {
        let scores = [(0.001, 0.5), (0.01, 0.7), (0.1, 0.7), (1.0, Double.nan)].map {
            RateTuning.Score(learningRate: $0.0, validationAccuracy: $0.1, diverged: 0)
        }
        #expect(RateTuning.choose(scores) == 0.01)
        #expect(RateTuning.choose(Array(scores.prefix(1))) == 0.001)
        #expect(RateTuning.choose([]) == nil)
        let grid = RateTuning.halfDecades(from: -3, count: 5)
        #expect(grid[0] == 0.001 && grid[2] == 0.01 && grid[4] == 0.1)
        #expect(abs(grid[1] / grid[0] - 10.0.squareRoot()) < 1e-12 && abs(grid[3] - 0.1 / 10.0.squareRoot()) < 1e-15)
        #expect(RateTuning(rates: grid, seedCount: 2, epochs: 1).seeds == [1_000_000, 1_000_001])
    }
}

@Suite(.serialized) struct ConvolutionalRunTests {
    @Test func runsTunesAndJudgesFromItsOwnNumbers() throws {
        let directory = SyntheticData.temporaryDirectory("convolutional")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 3)
        let plan = ConvolutionalExperiment.Plan(
            layers: "conv:4x3:pad=same,maxpool:2,dense:8", sizes: .init(training: 1, validation: 1), epochs: 3,
            batchSize: 32, tuning: RateTuning(rates: RateTuning.halfDecades(from: -3, count: 5), seedCount: 1, epochs: 1),
            activations: try ["relu", "tanh", "sigmoid"].map { try HiddenActivation(parsing: $0) }, seeds: [0, 1, 2],
            targets: [0.5, 0.3])
        let document = try ConvolutionalExperiment.run(
            context, configuration: plan, inputs: try SyntheticData.make(count: 256, features: 64))
        let results = document.results
        #expect(results.activations.map(\.activation) == ["relu", "tanh", "sigmoid"])
        for entry in results.activations {
            #expect(entry.tuning.map(\.learningRate) == plan.tuning.rates)
            #expect(entry.tunedLearningRate == RateTuning.choose(entry.tuning))
            #expect(entry.runs.map(\.seed) == [0, 1, 2])
            #expect(entry.runs.allSatisfy { $0.records.count == 3 || $0.diverged })
        }
        // Claims: two targets against tanh, wall time, among the best; each verdict restated
        // from the raw records by its rule.
        #expect(document.claims.count == 4)
        func epochs(_ activation: String, _ target: Double) -> [ThreeWayVerdict.Bound] {
            results.run(activation)!.runs.map {
                ThreeWayVerdict.Bound($0.diverged ? .infinity : $0.epochsToReach(trainError: target) ?? .infinity, budget: 3)
            }
        }
        for (index, target) in plan.targets.enumerated() {
            let rule = ThreeWayVerdict.faster(epochs("relu", target), than: epochs("tanh", target), margin: 0.1)
            #expect(document.claims[index].supported == (rule == .supported))
        }
        let json = try String(contentsOfFile: directory + "/convolutional.json", encoding: .utf8)
        #expect(json.contains("\"tuned_learning_rate\""))
        for figure in ["convolutional-figure1.svg", "convolutional-family.svg"] {
            #expect(try String(contentsOfFile: directory + "/" + figure, encoding: .utf8).hasPrefix("<svg"))
        }
        #expect(document.figures.count == 2 && document.tables.count == 2)
    }
}
