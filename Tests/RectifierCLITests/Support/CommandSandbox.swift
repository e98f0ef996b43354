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
/// sandbox per command: a small MNIST-format set in `data/`, a trained model, its ONNX and
/// int8 forms, a log, a list of values, small tables (CSV, .npy, .npz), the results of a
/// short experiment for `report` and model, data and result files crafted to be wrong.
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
        // Large enough for `bench inference`; the experiments refuse it as too small (their
        // full runs take seconds each and are tested on their own).
        let data = try SyntheticMNIST(trainingCount: 2100, testCount: 100)
        for name in try manager.contentsOfDirectory(atPath: data.path) {
            try manager.copyItem(atPath: data.file(name), toPath: directory + "/data/" + name)
        }
        let steps: [[String]] = [
            ["train", "--data", "data", "--epochs", "1", "--hidden", "8", "--batch-size", "16", "--threads", "1",
             "--save", "model.safetensors", "--log", "train.jsonl"],
            ["export", "model.safetensors", "-o", "model.onnx"],
            ["quantize", "model.safetensors", "--data", "data", "--calibration", "32", "-o", "model-int8.safetensors"],
            ["experiment", "leaky-units", "--steps", "2", "--units", "2", "--lengths", "2,5", "--seeds", "1", "--threads", "1",
             "--skip-profile", "--skip-images", "--out", "results"],
        ]
        for step in steps where run(step) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: step.joined(separator: " ")])
        }
        try Data("1 2.5 -3\nnan inf\n".utf8).write(to: URL(fileURLWithPath: directory + "/values.txt"))
        try Data().write(to: URL(fileURLWithPath: directory + "/empty.txt"))
        // Experiment results damaged for `report`: cut short, and nested beyond any parser's depth.
        let result = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/results/leaky-units.json")))
        try manager.createDirectory(atPath: directory + "/results-bad", withIntermediateDirectories: true)
        let damaged = [("results-bad/leaky-units.json", Array(result.prefix(result.count / 2))),
                       ("results-bad/cost.json", Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8))]
        for (name, bytes) in try crafted(directory: directory) + tables() + damaged {
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

    /// A small table in each format `--data` and `bench data` read (`data.csv`, `data.npy`,
    /// `data.npz`: 40 rows of 4 features, a class label 0–2) and tables wrong in one way each.
    static func tables() -> [(String, [UInt8])] {
        let rows = 40, columns = 4
        let features = (0..<rows * columns).map { Float(($0 * 37) % 11) / 10 }
        let labels = (0..<rows).map { Float($0 % 3) }
        var csv = "a,b,c,d,label\n"
        for row in 0..<rows {
            csv += features[row * columns..<(row + 1) * columns].map { "\($0)" }.joined(separator: ",") + ",\(Int(labels[row]))\n"
        }
        let x = npy(descr: "<f4", shape: "(\(rows), \(columns))", data: features)
        let y = npy(descr: "<f4", shape: "(\(rows),)", data: labels)
        return [
            ("data.csv", Array(csv.utf8)), ("data.npy", x), ("data.npz", zip([("x.npy", x), ("y.npy", y)])),
            ("data-ragged.csv", Array("a,b,label\n1,2,0\n1,2,3,4\n5\n".utf8)),
            ("data-header-only.csv", Array("a,b,label\n".utf8)),
            ("data-values.csv", Array("a,b,label\nnan,inf,0\n1e309,-1e300,9223372036854775807\n0x10,,1\n".utf8)),
            ("data-wide.csv", Array((((0..<5000).map { "c\($0)" } + ["label"]).joined(separator: ",") + "\n").utf8)),
            ("data-shape-overflow.npy", npy(descr: "<f4", shape: "(9223372036854775807, 2)", data: [])),
            ("data-shape-huge.npy", npy(descr: "<f4", shape: "(100000000, 100000000)", data: [])),
            ("data-shape-negative.npy", npy(descr: "<f4", shape: "(-1, 4)", data: [])),
            ("data-dtype-c16.npy", npy(descr: "<c16", shape: "(2, 2)", data: [1, 2, 3, 4, 5, 6, 7, 8])),
            ("data-dtype-object.npy", npy(descr: "|O", shape: "(2,)", data: [1, 2])),
            ("data-cut.npy", Array(x.prefix(x.count - 7))),
            ("data-cut.npz", Array(zip([("x.npy", x), ("y.npy", y)]).prefix(300))),
            ("data-shape-mismatch.npz", zip([("x.npy", x), ("y.npy", npy(descr: "<f4", shape: "(7,)", data: Array(labels.prefix(7))))])),
        ]
    }

    /// A `.npy` file (format 1.0) of `data` as float32 under the header `descr`, `shape`.
    static func npy(descr: String, shape: String, data: [Float]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
            + data.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> ($0 * 8)) } }
    }

    /// A zip archive of `entries`, stored (no compression).
    static func zip(_ entries: [(String, [UInt8])]) -> [UInt8] {
        func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        func crc(_ bytes: [UInt8]) -> Int {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return Int(~crc)
        }
        var archive: [UInt8] = [], directory: [UInt8] = []
        for (name, bytes) in entries {
            let common = le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc(bytes), 4) + le(bytes.count, 4) + le(bytes.count, 4)
                + le(name.utf8.count, 2) + le(0, 2)
            directory += le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(archive.count, 4) + Array(name.utf8)
            archive += le(0x0403_4B50, 4) + common + Array(name.utf8) + bytes
        }
        return archive + directory + le(0x0605_4B50, 4) + le(0, 4) + le(entries.count, 2) + le(entries.count, 2)
            + le(directory.count, 4) + le(archive.count, 4) + le(0, 2)
    }

    /// A fresh copy of the fixtures in `sandbox`.
    static func copy(_ fixtures: String, to sandbox: String) {
        try? FileManager.default.removeItem(atPath: sandbox)
        try? FileManager.default.copyItem(atPath: fixtures, toPath: sandbox)
    }

    /// Puts `sandbox` back to the fixtures (`before`, whose files and folders are `paths`)
    /// after a command left it as `after`: rewrites the files that changed, removes what is
    /// new; a fresh copy if that fails.
    static func reset(_ sandbox: String, to fixtures: String, before: [String: Data], after: [String: Data], paths: Set<String>) {
        let manager = FileManager.default
        var failed = false
        if let walker = manager.enumerator(atPath: sandbox) {
            while let name = walker.nextObject() as? String {
                if paths.contains(name) { continue }
                walker.skipDescendants()
                failed = failed || (try? manager.removeItem(atPath: sandbox + "/" + name)) == nil
            }
        }
        for (path, data) in before where after[path] != data {
            failed = failed || !manager.createFile(atPath: sandbox + "/" + path, contents: data)
        }
        if failed { copy(fixtures, to: sandbox) }
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
        return outputs.map(normalized)
    }

    /// `path` without `.` and empty components and with `..` applied (`./out//a/../b` is
    /// `out/b`; `.` when nothing is left), by spelling only.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        return (path.hasPrefix("/") ? "/" : "") + (parts.isEmpty && !path.hasPrefix("/") ? "." : parts.joined(separator: "/"))
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
