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

    /// The format and int8 benchmarks: 0, −1 and sizes beyond the bound are one-line usage
    /// errors naming the flag; the bounds themselves parse.
    @Test(arguments: [
        (["int8-gemm", "--rows", "0"], "--rows"), (["int8-gemm", "--rows", "-1"], "--rows"),
        (["int8-gemm", "--rows", "16385"], "--rows"), (["int8-gemm", "--rows", "9223372036854775807"], "--rows"),
        (["int8-gemm", "--rows", "9223372036854775808"], "rows"), (["int8-gemm", "--runs", "0"], "--runs"),
        (["int8-gemm", "--runs", "-1"], "--runs"), (["int8-gemm", "--runs", "100001"], "--runs"),
        (["int8-gemm", "--threads", "0"], "--threads"), (["int8-gemm", "--threads", "1,-1"], "--threads"),
        (["int8-gemm", "--threads", "1,4096"], "--threads"), (["safetensors", "--runs", "0"], "--runs"),
        (["safetensors", "--runs", "-1"], "--runs"), (["safetensors", "--runs", "24"], "--runs"),
        (["safetensors", "--runs", "1000001"], "--runs"), (["onnx", "--runs", "0"], "--runs"),
        (["onnx", "--runs", "-1"], "--runs"), (["onnx", "--runs", "9223372036854775807"], "--runs"),
    ])
    func formatAndInt8BenchmarksRefuseBadSizes(_ options: [String], _ flag: String) {
        expectUsageError(["bench"] + options, naming: flag)
    }

    @Test func formatAndInt8BenchmarksAcceptTheirBounds() throws {
        for arguments in [
            ["int8-gemm", "--rows", "1", "--runs", "1", "--threads", "1"], ["int8-gemm", "--rows", "16384", "--runs", "100000"],
            ["safetensors", "--runs", "25"], ["safetensors", "--runs", "1000000"], ["onnx", "--runs", "1"], ["onnx"],
        ] {
            _ = try RectifierCommand.parseAsRoot(["bench"] + arguments)
        }
    }

    /// The file benchmarks run end to end and leave no file behind.
    @Test func fileBenchmarksRun() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("rectifier-bench-") })
        for arguments in [["bench", "onnx", "--runs", "1"], ["bench", "safetensors", "--runs", "25"]] {
            var command = try RectifierCommand.parseAsRoot(arguments)
            try command.run()
        }
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("rectifier-bench-") })
        #expect(after.subtracting(before).isEmpty)
    }
}
