import Foundation
import RectifierCLI
import Testing

/// `rectifier experiment leaky-units`: bad flags exit with status 64 and a one-line message
/// naming the flag; a tiny run writes its JSON.
@Suite struct ExperimentLeakyUnitsCommandTests {
    @Test(arguments: [
        (["--lengths", "1,50"], "--lengths"), (["--steps", "0"], "--steps"), (["--units", "0"], "--units"),
        (["--variants", "plain,gated"], "--variants"), (["--seeds", "0"], "--seeds"),
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
        _ = try capturingStandardOutput {
            try runRectifier([
                "experiment", "leaky-units", "--out", directory, "--seeds", "1", "--lengths", "4",
                "--steps", "2", "--units", "4", "--variants", "plain,learned", "--activations", "relu", "--skip-profile",
            ])
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect((json["results"] as? [Any])?.count == 2)
    }
}
