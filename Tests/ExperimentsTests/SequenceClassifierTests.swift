import Datasets
import Experiments
import Networks
import Testing

/// ``SyntheticData``'s ten prototype classes as images of 4 rows × 6 pixels (clamped to
/// [0, 1]), so a recurrent layer can read them one row per step.
enum SequenceFixtures {
    static func images(count: Int, seed: UInt64 = 7) throws -> ImageDataSet {
        let data = try SyntheticData.make(count: count, features: 24, seed: seed)
        func labeled(_ set: Dataset<Float>) throws -> LabeledImages {
            try LabeledImages(
                pixels: set.features.scalars.map { min(max($0, 0), 1) }, labels: set.labels!.map(UInt8.init),
                rows: 4, columns: 6, classNames: (0..<10).map { "class \($0)" })
        }
        return ImageDataSet(training: try labeled(data.training), test: try labeled(data.test!), directory: "synthetic")
    }

    static let tinyBudget = SequentialImagesOptions(
        trainingImages: nil, testImages: nil, units: 24, batchSize: 20, epochs: 4, learningRate: 1e-2,
        maximumGradientNorm: 1)
}

/// The sequence classifier of the leaky-units experiment: it learns, and it refuses data and
/// budgets it cannot use with typed errors.
@Suite struct SequenceClassifierTests {
    @Test(arguments: [Leak.none, .multiScale(maximumTimeConstant: 10), .learned(initialTimeConstants: 1.5...10)])
    func trainingOnSyntheticImagesBeatsChance(leak: Leak) throws {
        let (training, test) = try SequenceFixtures.tinyBudget.images(from: try SequenceFixtures.images(count: 600))
        let run = try SequenceClassifierTraining.run(
            training: training, test: test, leak: leak, activation: .relu, seed: 0, options: SequenceFixtures.tinyBudget)
        #expect(run.task == "sequential-fashion-mnist")
        #expect(run.length == 4)
        #expect(run.steps == 4 * 30)
        #expect(run.finalMSE == nil && run.curveMSE == nil)
        // Ten balanced classes: chance is 10%, and the uniform prediction's cross-entropy ln 10.
        let accuracy = try #require(run.testAccuracy)
        #expect(accuracy > 0.5, "test accuracy \(accuracy)")
        let curve = try #require(run.curveCrossEntropy)
        #expect(curve.count == run.curveSteps.count && run.curveSteps.last == run.steps)
        #expect(curve.last! < 0.5 * curve.first!, "cross-entropy \(curve.first!) → \(curve.last!)")
        #expect(curve.last! < 0.5 * Double.log(10))
        #expect(run.learnedTimeConstants.count == (leak.isLearned ? 24 : 0))
        #expect(run.reachDistances == [0, 1, 2, 3] && run.reachTrained.count == 4)
    }

    @Test func theSameSeedGivesTheSameRun() throws {
        let (training, test) = try SequenceFixtures.tinyBudget.images(from: try SequenceFixtures.images(count: 200))
        let runs = try (0..<3).map { seed in
            try SequenceClassifierTraining.run(
                training: training, test: test, leak: .fixed(0.5), activation: .tanh, seed: seed / 2,
                options: SequenceFixtures.tinyBudget)
        }
        #expect(runs[0].curveCrossEntropy == runs[1].curveCrossEntropy && runs[0].testAccuracy == runs[1].testAccuracy)
        #expect(runs[0].curveCrossEntropy != runs[2].curveCrossEntropy)
    }

    @Test func mismatchedStepsOrClassesAreRefused() throws {
        let data = try SequenceFixtures.images(count: 80)
        let budget = SequenceFixtures.tinyBudget
        // Six pixels per step for training, three for testing: 4 × 6 against 8 × 3.
        let wide = try SequentialImages(data.training, pixelsPerStep: 6)
        let narrow = try SequentialImages(data.test, pixelsPerStep: 3)
        let error = #expect(throws: ExperimentError.self) {
            try SequenceClassifierTraining.run(
                training: wide, test: narrow, leak: .none, activation: .relu, seed: 0, options: budget)
        }
        #expect(error?.description.hasPrefix("--data:") == true, "\(String(describing: error))")

        let twoClasses = try SequentialImages(
            LabeledImages(
                pixels: Array(data.test.pixels[0..<2 * 24]), labels: [0, 1], rows: 4, columns: 6,
                classNames: ["a", "b"]))
        #expect(throws: ExperimentError.self) {
            try SequenceClassifierTraining.run(
                training: wide, test: twoClasses, leak: .none, activation: .relu, seed: 0, options: budget)
        }
    }

    @Test func emptyOrImpossibleBudgetsAreRefused() throws {
        let data = try SequenceFixtures.images(count: 80)
        var cases: [SequentialImagesOptions] = []
        for change in [
            { (options: inout SequentialImagesOptions) in options.trainingImages = 0 },
            { $0.testImages = -1 }, { $0.epochs = 0 }, { $0.batchSize = 0 }, { $0.units = 0 },
            { $0.learningRate = .nan }, { $0.maximumGradientNorm = 0 },
        ] {
            var options = SequenceFixtures.tinyBudget
            change(&options)
            cases.append(options)
        }
        for options in cases {
            #expect(throws: ExperimentError.self) { try options.validate() }
            let (training, test) = try SequenceFixtures.tinyBudget.images(from: data)
            #expect(throws: ExperimentError.self) {
                try SequenceClassifierTraining.run(
                    training: training, test: test, leak: .none, activation: .relu, seed: 0, options: options)
            }
        }
        var tooMany = SequenceFixtures.tinyBudget
        tooMany.trainingImages = data.training.count + 1
        let error = #expect(throws: ExperimentError.self) { try tooMany.images(from: data) }
        #expect(error?.description.hasPrefix("--data:") == true)
    }
}
