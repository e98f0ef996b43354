import Foundation

#if canImport(Glibc)
import Glibc
#endif

// What the command-line fuzzer (Fuzz/CLI, `make fuzz-cli`) and the replay of its corpus
// (`FuzzCorpusTests`) share: the files a command runs among, the corpus's line format and
// the checks every command must pass. Foundation only, so the fuzzer compiles this file too.

/// One generated command: a label naming the subcommand and the value class it tries, and
/// the arguments as raw bytes (they need not be UTF-8).
struct FuzzCase: Equatable {
    var label: String
    var arguments: [[UInt8]]

    /// One line: the label, then each argument, tab-separated; bytes outside printable ASCII
    /// and `\` are written `\xHH`.
    var line: String { ([Array(label.utf8)] + arguments).map(Self.escape).joined(separator: "\t") }

    init(label: String, arguments: [[UInt8]]) {
        self.label = label
        self.arguments = arguments
    }

    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(Self.unescape)
        guard let first = fields.first, !first.isEmpty else { return nil }
        label = String(decoding: first, as: UTF8.self)
        arguments = Array(fields.dropFirst())
    }

    /// The arguments as a shell would spell them (`$'…'` for the unprintable), for reports.
    var shell: String {
        arguments.map { bytes in
            let plain = bytes.allSatisfy { (0x21...0x7E).contains($0) && !Array("'\"\\$`!*?&;|<>()[]{}#~".utf8).contains($0) }
            return plain && !bytes.isEmpty ? String(decoding: bytes, as: UTF8.self) : "$'" + Self.escape(bytes).replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }

    private static func escape(_ bytes: [UInt8]) -> String {
        bytes.map { (0x20...0x7E).contains($0) && $0 != 0x5C ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }.joined()
    }

    private static func unescape(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = [], rest = Array(text.utf8)[...]
        while let byte = rest.first {
            if byte == 0x5C, rest.count >= 4, let value = UInt8(String(decoding: rest.dropFirst(2).prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                rest = rest.dropFirst(4)
            } else {
                bytes.append(byte)
                rest = rest.dropFirst()
            }
        }
        return bytes
    }
}

/// How a command ended.
enum CommandEnd: Equatable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
}

/// The files every command starts among, made once in `directory` and copied into a fresh
/// sandbox per command: a tiny MNIST-format set in `data/`, a trained model, its ONNX and
/// int8 forms, a log, a list of values and model files crafted to be wrong.
enum CommandFixtures {
    /// The flags whose values a command writes (a directory for `--out`).
    static let outputFlags: Set<String> = ["--save", "--log", "--output", "-o", "--out", "--json", "--save-model"]

    /// Makes the fixtures; `run` runs one `rectifier` command in `directory` and returns its
    /// exit status.
    static func make(in directory: String, run: ([String]) -> Int32) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: directory)
        try manager.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/empty-dir", withIntermediateDirectories: true)
        let data = try SyntheticMNIST(trainingCount: 2100, testCount: 100)
        for name in try manager.contentsOfDirectory(atPath: data.path) {
            try manager.copyItem(atPath: data.file(name), toPath: directory + "/data/" + name)
        }
        let steps: [[String]] = [
            ["train", "--data", "data", "--epochs", "1", "--hidden", "8", "--batch-size", "16", "--threads", "1",
             "--save", "model.safetensors", "--log", "train.jsonl"],
            ["export", "model.safetensors", "-o", "model.onnx"],
            ["quantize", "model.safetensors", "--data", "data", "--calibration", "32", "-o", "model-int8.safetensors"],
        ]
        for step in steps where run(step) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: step.joined(separator: " ")])
        }
        try Data("1 2.5 -3\nnan inf\n".utf8).write(to: URL(fileURLWithPath: directory + "/values.txt"))
        try Data().write(to: URL(fileURLWithPath: directory + "/empty.txt"))
        for (name, bytes) in try crafted(directory: directory) {
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    /// Model files that are wrong in one way each, made from the good ones.
    static func crafted(directory: String) throws -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        for source in ["model", "model-int8"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(source).safetensors")))
            guard bytes.count > 8 else { continue }
            let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
            let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + length])) as? [String: Any] ?? [:]
            let payload = Array(bytes[(8 + length)...])
            func file(_ name: String, _ edit: (inout [String: Any]) -> Void, payload body: [UInt8]? = nil) throws {
                var copy = header
                edit(&copy)
                let json = [UInt8](try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys]))
                let size = (0..<8).map { UInt8(truncatingIfNeeded: json.count >> ($0 * 8)) }
                files.append(("\(source)-\(name).safetensors", size + json + (body ?? payload)))
            }
            let tensors = header.keys.filter { $0 != "__metadata__" }.sorted()
            func editTensors(_ copy: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
                for name in tensors {
                    guard var entry = copy[name] as? [String: Any] else { continue }
                    edit(&entry)
                    copy[name] = entry
                }
            }
            // Metadata that claims other sizes than the tensors hold, with or without tensors.
            for (name, width) in [("wide", "100000000"), ("huge", "9223372036854775807"), ("zero", "0"), ("negative", "-1")] {
                let widen = { (copy: inout [String: Any]) in
                    guard var metadata = copy["__metadata__"] as? [String: String] else { return }
                    for (key, value) in metadata {
                        metadata[key] = value.replacingOccurrences(of: "8,", with: width + ",")
                            .replacingOccurrences(of: ":8", with: ":" + width).replacingOccurrences(of: "[8", with: "[" + width)
                    }
                    copy["__metadata__"] = metadata
                }
                try file("meta-\(name)", widen)
                try file("meta-\(name)-bare", { widen(&$0); for tensor in tensors { $0[tensor] = nil } }, payload: [])
            }
            try file("dtype-f16", { editTensors(&$0) { $0["dtype"] = "F16" } })
            try file("dtype-i32", { editTensors(&$0) { $0["dtype"] = ($0["dtype"] as? String) == "I8" ? "F32" : "I32" } })
            try file("shape-overflow", { editTensors(&$0) { $0["shape"] = [9_223_372_036_854_775_807, 2] } })
            try file("shape-transposed", { editTensors(&$0) { $0["shape"] = Array((($0["shape"] as? [Int]) ?? []).reversed()) } })
            try file("offsets-shifted", { editTensors(&$0) { $0["data_offsets"] = (($0["data_offsets"] as? [Int]) ?? []).map { $0 + 1 } } })
            try file("no-metadata", { $0["__metadata__"] = nil })
            for cut in [8, 8 + length / 2, 8 + length, (bytes.count + 8 + length) / 2, bytes.count - 1] {
                files.append(("\(source)-cut\(cut).safetensors", Array(bytes.prefix(cut))))
            }
        }
        let onnx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/model.onnx")))
        for cut in [1, onnx.count / 3, onnx.count / 2, onnx.count - 1] {
            files.append(("model-cut\(cut).onnx", Array(onnx.prefix(cut))))
        }
        for position in stride(from: 3, to: onnx.count, by: max(1, onnx.count / 6)) {
            var copy = onnx
            copy[position] ^= 0xFF
            files.append(("model-flip\(position).onnx", copy))
        }
        return files
    }

    /// Every regular file under `directory` with its bytes, by path relative to it.
    static func snapshot(_ directory: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return files }
        while let name = walker.nextObject() as? String {
            var info = stat()
            if lstat(directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                files[name] = FileManager.default.contents(atPath: directory + "/" + name)
            }
        }
        return files
    }

    /// The sandbox-relative paths `arguments` names as outputs.
    static func declaredOutputs(_ arguments: [[UInt8]]) -> [String] {
        var outputs: [String] = []
        for (index, bytes) in arguments.enumerated() {
            let text = String(decoding: bytes, as: UTF8.self)
            if let equals = text.firstIndex(of: "="), outputFlags.contains(String(text[..<equals])) {
                outputs.append(String(text[text.index(after: equals)...]))
            } else if outputFlags.contains(text), index + 1 < arguments.count {
                outputs.append(String(decoding: arguments[index + 1], as: UTF8.self))
            }
        }
        return outputs.map { NSString(string: $0).standardizingPath }
    }

    /// The finding a command's end shows, or nil: a signal, a hang, an exit status other than
    /// 0, 1 (failure) or 64 (usage), a failure whose standard error does not end with its one
    /// `rectifier: ` line (progress lines may precede it), a pre-existing file changed that the command does not write, or any
    /// pre-existing file changed by a refused command.
    static func finding(
        end: CommandEnd, standardError: String, arguments: [[UInt8]], before: [String: Data], after: [String: Data]
    ) -> String? {
        switch end {
        case .signalled(let signal): return "signal \(signal)"
        case .timedOut: return "hang"
        case .exited(let status) where ![0, 1, 64].contains(status): return "exit status \(status)"
        case .exited(let status):
            // Progress lines may come first; the error is the last line, and the only one so marked.
            let lines = standardError.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            let marked = lines.filter { $0.hasPrefix("rectifier: ") }.count
            if status != 0, marked != 1 || lines.last?.hasPrefix("rectifier: ") != true { return "message" }
            let outputs = status == 0 ? declaredOutputs(arguments) : []
            for (path, bytes) in before where after[path] != bytes {
                let written = outputs.contains { path == $0 || path.hasPrefix($0 + "/") || $0 == "." }
                if !written { return "changed \(path)" }
            }
            return nil
        }
    }

    /// Waits for `pid` at most `seconds`, then kills it.
    static func wait(for pid: pid_t, seconds: Double) -> CommandEnd {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { return .exited(-1) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut
            }
            usleep(done == 0 ? 2_000 : 0)
        }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
