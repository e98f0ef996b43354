import Experiments
import Foundation
import Networks
import Testing

/// The convolutional experiment: each claim on constructed results whose verdict is known by
/// construction, all three ways; and one run end to end on small square images.
@Suite struct ConvolutionalVerdictTests {
    /// One seed's run: training error `errors` after each epoch, `seconds` per epoch (one for
    /// all, or one each), test accuracy `accuracy`.
    private func run(_ activation: String, seed: Int, errors: [Double], seconds: [Double], accuracy: Double) -> [String: Any] {
        let records: [[String: Any]] = errors.enumerated().map { index, error in
            ["epoch": index + 1, "train_loss": error, "train_accuracy": 1 - error, "validation_accuracy": accuracy,
             "seconds": seconds.count == 1 ? seconds[0] : seconds[index], "learning_rate": 0.01,
             "dead_unit_fractions": [Any](), "gradient_norms": [Any](), "slopes": [Any]()]
        }
        return ["activation": activation, "seed": seed, "optimizer": "sgd-momentum", "hiddenSizes": [Int](),
                "initialization": "he-normal", "initializationScale": 1.0, "records": records, "diverged": false,
                "testAccuracy": accuracy]
    }

    /// ReLU, tanh and sigmoid, three seeds each over 5 epochs, targets 50 % and 25 %:
    /// `tanhErrors` per seed, ReLU's epoch seconds, each activation's test accuracy per seed.
    private func claims(
        tanhErrors: [[Double]] = [[0.7, 0.45, 0.3, 0.2, 0.15], [0.8, 0.6, 0.4, 0.3, 0.2], [0.75, 0.5, 0.35, 0.3, 0.2]],
        reluSeconds: [Double] = [1],
        accuracies: [String: [Double]] = ["relu": [0.85, 0.85, 0.85], "tanh": [0.8, 0.8, 0.8], "sigmoid": [0.75, 0.75, 0.75]]
    ) throws -> [Claim] {
        let errors = ["relu": Array(repeating: [0.4, 0.3, 0.2, 0.15, 0.1], count: 3), "tanh": tanhErrors,
                      "sigmoid": Array(repeating: [0.8, 0.7, 0.6, 0.55, 0.52], count: 3)]
        let activations = ["relu", "tanh", "sigmoid"].map { name -> [String: Any] in
            ["tuning": ["activation": name, "optimizer": "sgd-momentum", "tunedLearningRate": 0.01, "sharedLearningRate": 0.05,
                        "grid": [0.001, 0.01, 0.1], "validationAccuracies": [0.5, 0.8, 0.1]],
             "runs": (0..<3).map { seed in
                 run(name, seed: seed, errors: errors[name]![seed], seconds: name == "relu" ? reluSeconds : [1],
                     accuracy: accuracies[name]![seed])
             }]
        }
        let object: [String: Any] = [
            "targets": [0.5, 0.25], "epochs": 5, "chanceAccuracy": 0.1, "layers": "conv:4x3,dense:8", "activations": activations,
        ]
        // The trainer's epoch records keep their own snake_case keys; the rest is read as written.
        let data = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode(ConvolutionalResults.self, from: data).claims()
    }

    @Test func epochsRuleAtEachTargetAllThreeWays() throws {
        // ReLU 0.8 epochs to 50 % on every seed, tanh 1.8–2.5: ≥ 1.1× with the spreads apart.
        let claims = try claims()
        #expect(claims.count == 4 && claims[0].verdict == .supported && claims[0].measured.contains("paper: 6×"))
        // 25 %: ReLU 2.5 epochs, tanh 3.5 to 4.5: supported too; the second claim is the harder target.
        #expect(claims[1].verdict == .supported && claims[1].claim.contains("25 %"))
        // One tanh seed faster than ReLU, the others slower: the spreads overlap.
        let mixed = [[0.1, 0.1, 0.1, 0.1, 0.1], [0.8, 0.6, 0.4, 0.3, 0.2], [0.8, 0.6, 0.4, 0.3, 0.2]]
        #expect(try self.claims(tanhErrors: mixed)[0].verdict == .inconclusive)
        // tanh faster on every seed: not supported.
        #expect(try self.claims(tanhErrors: Array(repeating: [0.3, 0.2, 0.1, 0.1, 0.1], count: 3))[0].verdict == .notSupported)
    }

    @Test func wallTimeNeedsFewerSecondsAndSteadyEpochTimes() throws {
        #expect(try claims()[2].verdict == .supported)
        // Fewer epochs, each ten times as long: faster in epochs, slower in seconds.
        let slow = try claims(reluSeconds: [10])
        #expect(slow[0].verdict == .supported && slow[2].verdict == .notSupported)
        // Epoch times that jump (a loaded machine): inconclusive, and the text says why.
        let loaded = try claims(reluSeconds: [1, 3, 1, 3, 1])[2]
        #expect(loaded.verdict == .inconclusive && loaded.measured.contains("load"))
        // sigmoid never reaches 50 %: its ratio is a lower bound.
        #expect(try claims()[2].measured.contains("sigmoid needs ≥ "))
    }

    @Test func amongTheBestAllThreeWays() throws {
        #expect(try claims()[3].verdict == .supported)
        let last = ["relu": [0.7, 0.7, 0.7], "tanh": [0.8, 0.8, 0.8], "sigmoid": [0.75, 0.75, 0.75]]
        #expect(try claims(accuracies: last)[3].verdict == .notSupported)
        let second = ["relu": [0.77, 0.77, 0.77], "tanh": [0.8, 0.8, 0.8], "sigmoid": [0.75, 0.75, 0.75]]
        #expect(try claims(accuracies: second)[3].verdict == .inconclusive)
    }
}

@Suite(.serialized) struct ConvolutionalRunTests {
    private let layers = "conv:4x3:pad=same,maxpool:2,dense:8"

    private var plan: ConvolutionalExperiment.Plan {
        get throws {
            ConvolutionalExperiment.Plan(
                layers: layers, sizes: .init(training: 1, validation: 1), epochs: 3, batchSize: 32,
                tuning: LearningRateTuning(
                    budget: TrialBudget(hiddenSizes: [], epochs: 1, batchSize: 32, probeSize: 1, layers: layers),
                    sizes: .init(training: 1, validation: 1), seeds: [LearningRateTuning.firstSeed]),
                activations: try ["relu", "tanh", "sigmoid"].map { try HiddenActivation(parsing: $0) }, seeds: [0, 1, 2],
                targets: [0.5, 0.3])
        }
    }

    /// Each activation's tuning and its seeds' training errors (no wall times).
    private func numbers(_ results: ConvolutionalResults) -> [String] {
        results.activations.map { "\($0.tuning) \($0.runs.map(\.trainErrors))" }
    }

    @Test func shardsHoldWholeActivationsAndMergeToOneRun() throws {
        let base = SyntheticData.temporaryDirectory("convolutional-shards")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let inputs = try SyntheticData.make(count: 128, features: 64)
        let single = try ConvolutionalExperiment.run(
            try ExperimentContext(outputDirectory: base + "/single", seeds: 3), configuration: try plan, inputs: inputs)
        var paths: [String] = []
        for index in 1...2 {
            let outcome = try ConvolutionalExperiment.runShard(
                try ExperimentContext(outputDirectory: base + "/machine-\(index)", seeds: 3),
                shard: try Shard(index: index, count: 2), version: "test", configuration: try plan, inputs: inputs)
            #expect(outcome.total == 3)
            paths.append(outcome.path)
        }
        let merged = try ConvolutionalExperiment.merge(
            paths, context: try ExperimentContext(outputDirectory: base + "/merged", seeds: 3), version: "test",
            configuration: try plan, inputs: inputs)
        #expect(numbers(merged.results) == numbers(single.results))
    }

    @Test func tunesEachActivationThenMeasuresItsSeedsAtTheTunedRate() throws {
        let directory = SyntheticData.temporaryDirectory("convolutional")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 3)
        let plan = try self.plan
        let document = try ConvolutionalExperiment.run(
            context, configuration: plan, inputs: try SyntheticData.make(count: 256, features: 64))
        let results = document.results
        #expect(results.activations.map(\.activation) == ["relu", "tanh", "sigmoid"])
        for entry in results.activations {
            #expect(entry.tuning.grid == plan.tuning.sgdRates && entry.tuning.grid.count >= 5)
            #expect(entry.runs.map(\.seed) == [0, 1, 2])
            #expect(entry.runs.allSatisfy { $0.records.allSatisfy { $0.learningRate == entry.tuning.tunedLearningRate } })
            #expect(entry.runs.allSatisfy { $0.records.count == 3 || $0.diverged })
        }
        // The tuned rate is the grid's best by the tuning rule.
        let relu = results.activations[0].tuning
        #expect(relu.tunedLearningRate == LearningRateTuning.choose(rates: relu.grid) { relu.validationAccuracies[relu.grid.firstIndex(of: $0)!] }.rate)
        #expect(document.claims.count == 4)
        let json = try String(contentsOfFile: directory + "/convolutional.json", encoding: .utf8)
        #expect(json.contains("\"tuned_learning_rate\""))
        for figure in ["convolutional-figure1.svg", "convolutional-family.svg"] {
            #expect(try String(contentsOfFile: directory + "/" + figure, encoding: .utf8).hasPrefix("<svg"))
        }
        #expect(document.figures.count == 2 && document.tables.count == 3)
    }

    @Test func imagesThatAreNotSquareAreRefusedInOneLine() throws {
        let context = try ExperimentContext(outputDirectory: SyntheticData.temporaryDirectory("convolutional-flat"), seeds: 1)
        var plan = ConvolutionalExperiment.configuration(context)
        plan.activations = [.fixed(.relu)]
        #expect(throws: ExperimentError.self) {
            try ConvolutionalExperiment.run(context, configuration: plan, inputs: try SyntheticData.make(count: 64, features: 24))
        }
    }
}
