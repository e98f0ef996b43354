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
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let objects = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let keys: Set = [
            "op", "direction", "elements", "threads", "ns_per_element", "gb_per_second",
            "ratio_to_copy",
        ]
        for object in objects {
            #expect(keys.isSubset(of: Set(object.keys)), "\(object.keys)")
            #expect(Set(object.keys).subtracting(keys).isSubset(of: ["copy_method"]), "\(object.keys)")
        }
        let rows = try JSONDecoder().decode([Row].self, from: data)
        #expect(rows.allSatisfy { $0.elements == 1024 && $0.ns_per_element > 0 && $0.gb_per_second > 0 })
        let measured = Set(rows.map { "\($0.op) \($0.direction) \($0.threads)" })
        var expected: Set = ["copy forward 1", "copy forward 2"]
        for threads in [1, 2] {
            for op in ["relu", "leaky_relu", "abs", "softplus", "sigmoid", "tanh", "prelu"] {
                expected.insert("\(op) forward \(threads)")
                expected.insert("\(op) backward \(threads)")
            }
        }
        #expect(measured == expected)
        #expect(rows.count == expected.count)
    }

    private struct Row: Decodable {
        let op: String
        let direction: String
        let elements: Int
        let threads: Int
        let ns_per_element: Double
        let gb_per_second: Double
        let ratio_to_copy: Double
    }

    @Test(arguments: [
        ["--runs", "5"], ["--elements", "2^40"], ["--elements", "lots"], ["--threads", "0"],
        ["--ops", "swish"],
    ])
    func badOptionsAreUsageErrors(_ options: [String]) {
        expectUsageError(["bench", "activations"] + options)
    }
}
