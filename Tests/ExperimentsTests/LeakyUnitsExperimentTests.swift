import Experiments
import Foundation
import Testing

/// A tiny leaky-units run end to end: the JSON has one entry per run with the fields the
/// report reads, the figures exist, and the claims follow from the numbers.
@Suite struct LeakyUnitsExperimentTests {
    @Test func aTinyRunWritesTheDocumentAndFigures() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leaky-units-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = LeakyUnitsOptions.short(seeds: 2)
        options.lengths = [6, 10]
        options.units = 8
        options.steps = 5
        options.testSequences = 16
        options.profilesStep = false
        var fractions: [Double] = []
        let document = try LeakyUnitsExperiment.run(
            options: options, output: try ExperimentOutput(directory: directory)
        ) { fraction, _ in fractions.append(fraction) }
        #expect(document.results.count == 2 * 2 * 4 * 2)
        #expect(fractions.last == 1 && zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })

        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let results = json["results"] as! [[String: Any]]
        #expect(results.count == document.results.count)
        for entry in results {
            for key in ["task", "length", "variant", "activation", "seed", "final_mse", "seconds"] {
                #expect(entry[key] != nil, "missing \(key)")
            }
            #expect(entry["task"] as? String == "adding")
            #expect(["plain", "fixed", "multiscale", "learned"].contains(entry["variant"] as? String ?? ""))
        }
        for figure in document.figures {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + figure.file), "\(figure.file)")
        }
        #expect(document.figures.count == 5)
        let learned = document.results.filter { $0.variant == "learned" }
        #expect(learned.allSatisfy { $0.learnedTimeConstants.count == 8 })
        #expect(document.results.filter { $0.variant != "learned" }.allSatisfy { $0.learnedTimeConstants.isEmpty })
        // With five steps nothing is solved, so the target claim cannot be supported.
        let target = document.claims.first { $0.claim.contains("reach MSE < 0.01") }
        #expect(target?.supported == false)
    }

    @Test func badOptionsAreRefused() throws {
        var options = LeakyUnitsOptions.short(seeds: 1)
        options.lengths = [1]
        #expect(throws: ExperimentError.self) { try options.validate() }
        options = .short(seeds: 0)
        #expect(throws: ExperimentError.self) { try options.validate() }
    }
}
