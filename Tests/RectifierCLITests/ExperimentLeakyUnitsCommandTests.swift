import Foundation
import RectifierCLI
import Testing

/// `rectifier experiment leaky-units`: bad flags exit with status 64 and a one-line message
/// naming the flag; missing or too little data is one line naming `--data`; a tiny run
/// writes its JSON.
@Suite struct ExperimentLeakyUnitsCommandTests {
    @Test(arguments: [
        (["--lengths", "1,50"], "--lengths"), (["--steps", "0"], "--steps"), (["--units", "0"], "--units"),
        (["--variants", "plain,gated"], "--variants"), (["--seeds", "0"], "--seeds"),
        (["--on-divergence", "ignore"], "--on-divergence"),
    ])
    func badFlagsAreRefused(flags: [String], named: String) {
        let error = failureOfRectifier(["experiment", "leaky-units"] + flags)
        #expect(error != nil)
        guard let error else { return }
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 64, "\(flags)")
        #expect(message.contains(named), "\(message)")
    }

    @Test func aTinyRunWritesItsDocument() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leaky-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try capturingStandardOutput {
            try runRectifier([
                "experiment", "leaky-units", "--out", directory, "--seeds", "1", "--lengths", "4",
                "--steps", "2", "--units", "4", "--variants", "plain,learned", "--activations", "relu", "--skip-profile", "--skip-images",
            ])
        }.joined(separator: "\n")
        // The command ends with the claim table; one seed gives no verdict.
        #expect(output.contains("Claims: ✓ supported") && output.contains("– too few seeds for a verdict  leaky-units"), "\(output)")
        #expect(!output.contains("✓ supported  "))
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect((json["results"] as? [Any])?.count == 2)
        #expect((json["diverged_runs"] as? [Any])?.count == 2)
        #expect((json["summary"] as? String)?.contains("training stops there") == true)
    }

    @Test func onDivergenceBackoffReachesTheRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leaky-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try capturingStandardOutput {
            try runRectifier(["experiment", "leaky-units", "--out", directory, "--skip-images", "--on-divergence", "backoff"] + Self.tinyRun)
        }
        let json = try JSONSerialization.jsonObject(
            with: try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))) as! [String: Any]
        #expect((json["summary"] as? String)?.contains("0.5× the rate, at most 5 times") == true)
        #expect((json["results"] as? [[String: Any]])?.allSatisfy { $0["back_offs"] as? Int == 0 && $0["diverged"] as? Bool == false } == true)
    }

    static let tinyRun = [
        "--seeds", "1", "--lengths", "4", "--steps", "2", "--units", "4", "--variants", "plain",
        "--activations", "relu", "--skip-profile",
    ]

    @Test func theSequentialTaskReadsTheImagesOfData() throws {
        // The short budget's 6000 training and 2000 test images, 8 × 8 pixels: T = 8.
        let data = try SyntheticMNIST(trainingCount: 6000, testCount: 2000)
        let directory = data.file("out")
        _ = try capturingStandardOutput {
            try runRectifier(["experiment", "leaky-units", "--out", directory, "--data", data.path] + Self.tinyRun)
        }
        let json = try JSONSerialization.jsonObject(
            with: try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))) as! [String: Any]
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.map { $0["task"] as? String } == ["adding", "sequential-fashion-mnist"])
        #expect(results[1]["length"] as? Int == SyntheticMNIST.side)
        #expect((results[1]["test_accuracy"] as? Double).map { (0...1).contains($0) } == true)
    }

    @Test func missingOrTooFewImagesNameData() throws {
        let data = try SyntheticMNIST()
        for source in [data.file("nothing-here"), data.path] {
            let directory = data.file("out-\(source.count)")
            let error = try #require(
                failureOfRectifier(["experiment", "leaky-units", "--out", directory, "--data", source] + Self.tinyRun))
            let (status, message) = exitStatusAndMessage(error)
            #expect(status != 0)
            #expect(message.contains("--data") && !message.contains("\n"), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/leaky-units.json"))
        }
    }
}
