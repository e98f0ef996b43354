import ArgumentParser
import Foundation
import RectifierCLI
import Testing

/// `rectifier bench data`: its JSON report and its usage errors.
@Suite struct BenchDataCommandTests {
    @Test func reportsEachFileAgainstAPlainRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("d.csv").path
        try Data("a,b,label\n1,2,x\n3,4,y\n".utf8).write(to: URL(fileURLWithPath: csv))
        let json = directory.appendingPathComponent("r.json").path
        var command = try RectifierCommand.parseAsRoot(["bench", "data", "--csv", csv, "--runs", "2", "--json", json])
        try command.run()
        let rows = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(Set(rows[0].keys) == ["format", "path", "bytes", "seconds", "plain_read_seconds", "ratio_to_plain_read"])
        #expect(rows[0]["format"] as? String == "csv" && rows[0]["bytes"] as? Int == 22)
    }

    @Test func needsAFileAndASensibleRunCount() {
        #expect(throws: (any Error).self) { try RectifierCommand.parseAsRoot(["bench", "data"]) }
        for runs in ["0", "-1", "101", "9223372036854775807"] {
            #expect(throws: (any Error).self) { try RectifierCommand.parseAsRoot(["bench", "data", "--csv", "x.csv", "--runs", runs]) }
        }
    }
}
