import Foundation
import RectifierCLI
import Testing

/// `rectifier bench activations`: its JSON report and its usage errors.
@Suite struct BenchCommandTests {
    @Test func jsonReportHasTheAgreedKeysForEveryOperationAndDirection() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var command = try RectifierCommand.parseAsRoot([
            "bench", "activations", "--elements", "2^10", "--threads", "1,2", "--runs", "20",
            "--json", path,
        ])
        try command.run()
        let rows = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
                as? [[String: Any]])
        let keys: Set = [
            "op", "direction", "elements", "threads", "ns_per_element", "gb_per_second",
            "ratio_to_copy",
        ]
        for row in rows {
            #expect(keys.isSubset(of: Set(row.keys)), "\(row)")
            #expect(Set(row.keys).subtracting(keys).isSubset(of: ["copy_method"]), "\(row)")
            #expect((row["ns_per_element"] as? Double ?? 0) > 0)
            #expect(row["elements"] as? Int == 1024)
        }
        let pairs = Set(rows.map { "\($0["op"]!) \($0["direction"]!) \($0["threads"]!)" })
        for threads in [1, 2] {
            #expect(pairs.contains("copy forward \(threads)"))
            for op in ["relu", "leaky_relu", "abs", "softplus", "sigmoid", "tanh"] {
                #expect(pairs.contains("\(op) forward \(threads)") && pairs.contains("\(op) backward \(threads)"))
            }
        }
        #expect(rows.count == 2 * 13)
    }

    @Test(arguments: [
        ["--runs", "5"], ["--elements", "2^40"], ["--elements", "lots"], ["--threads", "0"],
        ["--ops", "swish"],
    ])
    func badOptionsAreUsageErrors(_ options: [String]) {
        do {
            _ = try RectifierCommand.parseAsRoot(["bench", "activations"] + options)
            Issue.record("\(options) parsed")
        } catch {
            #expect(RectifierCommand.exitCode(for: error).rawValue == 64, "\(options)")
            #expect(!RectifierCommand.message(for: error).contains("\n"), "\(options)")
        }
    }
}
