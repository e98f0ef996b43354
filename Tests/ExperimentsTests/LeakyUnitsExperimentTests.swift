import Experiments
import Foundation
import Testing

/// A tiny leaky-units run end to end: the JSON has one entry per run with the fields the
/// report reads (and the issue promises), the figures exist, and the claims follow from the
/// numbers.
@Suite struct LeakyUnitsExperimentTests {
    @Test func aTinyRunWritesTheDocumentAndFigures() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leaky-units-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = LeakyUnitsOptions(seeds: 2)
        options.lengths = [6, 10]
        options.units = 8
        options.steps = 5
        options.testSequences = 16
        options.profilesStep = false
        options.sequentialImages = SequentialImagesOptions(
            trainingImages: 40, testImages: 20, units: 8, batchSize: 10, epochs: 1, learningRate: 1e-2,
            maximumGradientNorm: 1)
        let log = ProgressLog()
        let context = try ExperimentContext(
            outputDirectory: directory, seeds: 2, progress: ProgressReporter { log.record($0) },
            images: try SequenceFixtures.images(count: 80))
        let document = try LeakyUnitsExperiment.run(context, configuration: options)
        let fractions = log.fractions
        #expect(document.results.count == 2 * 2 * 4 * 2 + 2 * 4 * 2)
        #expect(fractions.last == 1 && zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })

        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let results = json["results"] as! [[String: Any]]
        #expect(results.count == document.results.count)
        let adding = results.filter { $0["task"] as? String == "adding" }
        let images = results.filter { $0["task"] as? String == "sequential-fashion-mnist" }
        #expect(adding.count == 2 * 2 * 4 * 2 && images.count == 2 * 4 * 2)
        for entry in results {
            for key in ["task", "length", "variant", "activation", "seed", "seconds"] {
                #expect(entry[key] != nil, "missing \(key)")
            }
            #expect(["plain", "fixed", "multiscale", "learned"].contains(entry["variant"] as? String ?? ""))
            #expect(["relu", "tanh"].contains(entry["activation"] as? String ?? ""))
        }
        for entry in adding {
            #expect(entry["final_mse"] is Double && entry["curve_mse"] != nil)
            #expect(entry["test_accuracy"] == nil && entry["curve_cross_entropy"] == nil)
        }
        for entry in images {
            // The synthetic images have 4 rows: T = 4 (28 for Fashion-MNIST).
            #expect(entry["length"] as? Int == 4)
            let accuracy = entry["test_accuracy"] as? Double
            #expect(accuracy.map { (0...1).contains($0) } == true)
            #expect(entry["final_mse"] == nil && entry["curve_cross_entropy"] != nil)
        }
        for figure in document.figures {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + figure.file), "\(figure.file)")
        }
        #expect(document.figures.count == 6)
        // Sequential images: 8 (variant, activation) settings × 3 figures (accuracy, diverged, seconds).
        #expect(document.tables.count == 2 && document.tables[1].rows.count == 8 * 3)
        #expect(document.tables[1].columns == ["variant", "activation", "figure", "mean", "sd", "n"])
        let accuracyClaim = document.claims.first { $0.claim.contains("sequential Fashion-MNIST") }
        #expect(accuracyClaim != nil)
        let learned = document.results.filter { $0.variant == "learned" }
        #expect(learned.allSatisfy { $0.learnedTimeConstants.count == 8 })
        #expect(document.results.filter { $0.variant != "learned" }.allSatisfy { $0.learnedTimeConstants.isEmpty })
        // With five steps nothing is solved, so the target claim cannot be supported.
        let target = document.claims.first { $0.claim.contains("reach MSE < 0.01") }
        #expect(target?.supported == false)
    }

    @Test func theSequentialTaskWithoutImagesFailsWithATypedError() throws {
        let directory = SyntheticData.temporaryDirectory("leaky-units-no-data")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = ProgressLog()
        let context = try ExperimentContext(
            outputDirectory: directory, seeds: 1, dataDirectory: directory + "/missing",
            progress: ProgressReporter { log.record($0) })
        let error = #expect(throws: ExperimentError.self) {
            try LeakyUnitsExperiment.run(context, configuration: LeakyUnitsOptions(seeds: 1))
        }
        #expect(error?.description.hasPrefix("--data:") == true)
        #expect(log.fractions.isEmpty, "refused before training")
        #expect(throws: ExperimentError.self) { try RegisteredExperiment(LeakyUnitsExperiment.self).run(context) }
        #expect(!FileManager.default.fileExists(atPath: directory + "/leaky-units.json"))
    }

    @Test func badOptionsAreRefused() throws {
        var options = LeakyUnitsOptions(seeds: 1)
        options.lengths = [1]
        #expect(throws: ExperimentError.self) { try options.validate() }
        options = LeakyUnitsOptions(seeds: 0)
        #expect(throws: ExperimentError.self) { try options.validate() }
        options = LeakyUnitsOptions(seeds: 1)
        options.sequentialImages?.epochs = 0
        #expect(throws: ExperimentError.self) { try options.validate() }
    }
}
