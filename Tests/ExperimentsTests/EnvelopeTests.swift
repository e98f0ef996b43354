import Experiments
import Foundation
import Testing

@Suite struct EnvelopeTests {
    struct Numbers: Codable, Sendable, Equatable {
        var errors: [Double]
    }

    private func sample() -> ExperimentDocument<Numbers> {
        ExperimentDocument(
            experiment: "sample", title: "A sample", summary: "Numbers for a test.",
            settings: ["seeds": "3"],
            claims: [
                Claim(claim: "A holds", measured: "2.0×", verdict: .supported),
                Claim(claim: "B & <C> hold", measured: "0.9×", verdict: .notSupported),
            ],
            figures: [FigureReference(file: "sample.svg", caption: "A figure.")],
            tables: [ResultTable(title: "T", columns: ["a", "b"], rows: [["1", "x, y"]])],
            wallSeconds: 1.5, results: Numbers(errors: [0.25, 0.125]))
    }

    @Test func documentRoundTripsThroughItsOwnTypeAndTheEnvelope() throws {
        let directory = SyntheticData.temporaryDirectory("envelope")
        let output = try ExperimentOutput(directory: directory)
        let path = try output.write(sample())
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let typed = try ExperimentJSON.decoder().decode(ExperimentDocument<Numbers>.self, from: data)
        #expect(typed.results == sample().results)
        #expect(typed.claims == sample().claims)
        #expect(typed.tables == sample().tables)
        let envelope = try ExperimentJSON.decoder().decode(ExperimentEnvelope.self, from: data)
        #expect(envelope.experiment == "sample")
        #expect(envelope.claims.map(\.supported) == [true, false])
        #expect(envelope.wallSeconds == 1.5)
        let csv = try String(contentsOfFile: output.path("sample-1.csv"), encoding: .utf8)
        #expect(csv == "a,b\n1,\"x, y\"\n")
    }

    @Test func jsonUsesTheDocumentedKeys() throws {
        let object = try JSONSerialization.jsonObject(with: try ExperimentJSON.encoder().encode(sample())) as? [String: Any]
        let keys = Set(object?.keys.map { $0 } ?? [])
        #expect(keys == ["experiment", "title", "summary", "settings", "claims", "figures", "tables", "wall_seconds", "results"])
        let claims = object?["claims"] as? [[String: Any]]
        #expect(Set(claims?.first?.keys.map { $0 } ?? []) == ["claim", "measured", "verdict", "supported"])
    }
}
