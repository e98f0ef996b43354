// The command-line fuzzer: whole `rectifier` commands made from the tool's own grammar, run in
// process. Not built by SwiftPM; run from the repo root:
//
//   make fuzz-cli FUZZ_COMMANDS=20000
//
// which builds the release objects, links this file (with the shared checks of
// Tests/RectifierCLITests/Support/CommandSandbox.swift) against them and runs it. See
// docs/RELIABILITY.md.
//
// The grammar is the tool's `--experimental-dump-help` (every subcommand, argument, flag and
// enumerated value, so a new flag is fuzzed without a change here). Each command sets every
// flag that keeps it quick (the tiny data, one epoch, width 8, one thread, one seed) and then
// gives one to three arguments a value of one class: a boundary number, an empty or non-UTF-8
// argument, a huge width, a directory, an unwritable, missing or device path, the path of
// another argument, a crafted model file, or another argument's good value. A child process
// (forked, no exec) runs `RectifierCommand.runFromCommandLine` in a fresh copy of the fixtures
// with a time limit; the parent checks how it ended and every file (`CommandFixtures.finding`).
import Foundation
import RectifierCLI
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// The run is a function of the seed.
typealias Generator = SplitMix64

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { nextIndex(below: n) }
    mutating func pick<T>(_ values: [T]) -> T { values[nextIndex(below: values.count)] }
}

/// One argument of a command: its names (empty for a positional), whether it takes a value,
/// repeats, or must be given, and its enumerated values.
struct Parameter {
    var names: [String]
    var takesValue: Bool
    var repeats: Bool
    var required: Bool
    var values: [String]
    var valueName: String
    var defaultValue: String? = nil
}

/// A leaf command: its path (`experiment leaky-units`) and parameters.
struct Command {
    var path: [String]
    var parameters: [Parameter]
}

/// The value classes, by name: each a list of values to draw from.
let numberClasses: [(String, [String])] = [
    ("zero", ["0", "0.0", "-0"]), ("negative", ["-1", "-9223372036854775808", "-1e-300"]),
    ("nan", ["nan", "NaN", "-nan"]), ("infinity", ["inf", "-inf", "infinity", "1e309"]),
    ("2^31", ["2147483648", "2147483647", "4294967296"]), ("2^63-1", ["9223372036854775807", "18446744073709551616"]),
    ("1e300", ["1e300", "-1e300", "0x1p-1074", "4.9e-324"]), ("huge-width", ["100000000", "8,100000000", "46341,46341"]),
    ("empty", ["", " ", ","]), ("non-utf8", ["\u{FF}", "p\u{FF}.x", "8\u{FE}"]),
    ("junk", ["abc", "8,,8", "1:2:3", "--", "-", "relu:beta=0", "prelu:init=nan", "softplus:beta=1e300", "--help"]),
]
let pathClasses: [(String, [String])] = [
    ("directory", ["empty-dir", "data", "results", ".", "/", "/tmp"]), ("unwritable", ["/proc/fuzz", "/sys/fuzz", "/proc/self/status", "/dev/full"]),
    ("nonexistent", ["missing.safetensors", "missing/x.json", "no-such-dir"]), ("device", ["/dev/null", "/dev/zero", "-"]),
    ("data-file", ["data/train-images-idx3-ubyte", "data/t10k-labels-idx1-ubyte", "values.txt", "empty.txt", "train.jsonl", "data.csv", "data.npy", "data.npz"]),
]

/// Good values by flag (or positional value name); `data` etc. are files of the fixtures.
let goodValues: [String: [String]] = [
    "--data": ["data"], "--epochs": ["1", "2"], "--hidden": ["8", "8,4"], "--batch-size": ["16", "32"],
    "--threads": ["1", "2"], "--seeds": ["1", "2"], "--out": ["out", "out/sub"], "--save": ["out.safetensors", "model.safetensors"],
    "--log": ["out.jsonl", "train.jsonl"], "--resume": ["model.safetensors"], "--json": ["out.json"],
    "--model": ["model.onnx"], "--save-model": ["out.onnx"], "--lr": ["0.01", "1e-3", "100"], "--calibration": ["32", "1"],
    "--percentile": ["99.9", "100"], "--runs": ["25"], "--rows": ["16", "1"], "--elements": ["64", "1000"], "--points": ["2", "50"],
    "--range": ["-2:2", "0:1"], "--lo": ["-1"], "--hi": ["1"], "--steps": ["2", "5"], "--lengths": ["2,5", "5"],
    "--units": ["2", "4"], "--seed": ["1", "7"], "--momentum": ["0.5", "0"], "--weight-decay": ["0.001", "0"],
    "--average-weights": ["0.9", "0"], "--save-every": ["1"], "--batch-sizes": ["1,8", "4"], "--batches": ["1", "2"],
    "--validation": ["12", "1"], "--step-every": ["1"], "--step-factor": ["0.5"], "--warmup-steps": ["2", "0"],
    "--input": ["values.txt", "-"], "--variants": ["plain", "learned"], "--activations": ["relu", "tanh"],
    "--activation": ["relu", "leaky:0.1", "prelu", "softplus:beta=2"], "activation": ["relu", "tanh", "elu"],
    "values": ["1", "-0.5", "0", "1e-3"], "--from": ["-1", "0"], "--to": ["1", "3"], "--samples": ["2", "50"],
    "--weight-bits": ["8", "7"], "model": ["model.safetensors", "model.onnx", "model-int8.safetensors"],
    "--output": ["out.onnx", "out.safetensors", "out.svg"], "-o": ["out.onnx", "out.safetensors", "out.svg"],
    "--csv": ["data.csv"], "--npy": ["data.npy"], "--npz": ["data.npz"],
]

/// Flags every command gets when it has them, so that commands stay quick.
let quick: [(String, String)] = [
    ("--data", "data"), ("--epochs", "1"), ("--hidden", "8"), ("--threads", "1"), ("--seeds", "1"),
    ("--steps", "2"), ("--units", "2"), ("--lengths", "2,5"), ("--runs", "25"), ("--elements", "64"), ("--rows", "16"),
    ("--calibration", "32"), ("--batch-size", "16"), ("--skip-profile", ""), ("--batches", "1"),
    ("--samples", "50"), ("--out", "out"),
]

/// Quick values of one command: `report` reads the experiment results its `--out` holds;
/// one run of `bench onnx` takes 0.2 s.
let quickFor: [String: [String: String]] = ["report": ["--out": "results"], "bench onnx": ["--runs": "1"]]

/// Flags whose large valid values ask for long work by design (`--epochs 2^63−1` trains until
/// stopped, `--full` and `--exhaustive` run for minutes): given only values that are invalid or
/// small; the flags `--full`, `--exhaustive` and `slurm --submit` (which hands jobs to a
/// real Slurm) never.
let workFlags: Set<String> = ["--epochs", "--steps", "--runs", "--elements", "--rows", "--full", "--exhaustive", "--submit"]

func isLargeNumber(_ text: String) -> Bool {
    text.split(separator: ",").contains { (Int($0) ?? 0) > 1000 }
}

/// The grammar: the leaf commands of `rectifier --experimental-dump-help`.
func grammar(_ json: [String: Any]) -> [Command] {
    func walk(_ node: [String: Any], _ path: [String]) -> [Command] {
        let name = node["commandName"] as? String ?? ""
        let here = name == "rectifier" ? path : path + [name]
        if let children = node["subcommands"] as? [[String: Any]], !children.isEmpty {
            return children.flatMap { walk($0, here) }
        }
        let parameters = (node["arguments"] as? [[String: Any]] ?? []).compactMap { argument -> Parameter? in
            let kind = argument["kind"] as? String ?? ""
            let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { entry -> String? in
                guard let name = entry["name"] as? String else { return nil }
                return (entry["kind"] as? String == "short" ? "-" : "--") + name
            }
            if names.contains("--help") || names.contains("--version") || names.contains("--experimental-dump-help") { return nil }
            return Parameter(
                names: kind == "positional" ? [] : names, takesValue: kind != "flag",
                repeats: argument["isRepeating"] as? Bool ?? false, required: !(argument["isOptional"] as? Bool ?? true),
                values: argument["allValues"] as? [String] ?? [], valueName: argument["valueName"] as? String ?? "",
                defaultValue: argument["defaultValue"] as? String)
        }
        return [Command(path: here, parameters: parameters)]
    }
    return walk(json["command"] as? [String: Any] ?? [:], [])
}

/// A command's arguments: the path, the quick flags, the required positionals with good
/// values, then 1–3 arguments fuzzed with a value of `kind`. Returns the label and arguments.
func generate(_ command: Command, _ random: inout Generator, crafted: [String]) -> FuzzCase {
    var options: [(String, String?)] = []  // flag (or "" for a positional) and value
    let byName = Dictionary(command.parameters.flatMap { p in p.names.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
    for (flag, value) in quick where byName[flag] != nil {
        let value = quickFor[command.path.joined(separator: " ")]?[flag] ?? value
        options.append((flag, byName[flag]!.takesValue ? value : nil))
    }
    for parameter in command.parameters where parameter.required && !parameter.names.isEmpty {
        options.append((parameter.names[0], good(parameter, command, &random)))
    }
    var positionals: [(Parameter, [String])] = command.parameters.filter { $0.names.isEmpty }.map { p in
        (p, p.required || random.below(2) == 0 ? [good(p, command, &random)] : [])
    }
    var label = "good"
    for round in 0..<(1 + random.below(3)) {
        let parameter = random.pick(command.parameters.isEmpty ? [Parameter(names: ["--help"], takesValue: false, repeats: false, required: false, values: [], valueName: "")] : command.parameters)
        let flag = parameter.names.isEmpty ? "" : random.pick(parameter.names)
        var (kind, value) = round > 0 && random.below(2) == 0 ? ("good", good(parameter, command, &random))
            : fuzzedValue(parameter, command, &random, crafted: crafted, others: options.compactMap { $0.1 } + positionals.flatMap { $0.1 })
        if workFlags.contains(flag) && !parameter.takesValue { continue }
        if workFlags.contains(flag) && isLargeNumber(value) {
            (kind, value) = ("good", good(parameter, command, &random))
        }
        if label == "good" || kind != "good" { label = kind }
        if parameter.names.isEmpty {
            if let index = positionals.firstIndex(where: { $0.0.valueName == parameter.valueName }) {
                positionals[index].1 = parameter.repeats && random.below(2) == 0 ? positionals[index].1 + [value] : [value]
            }
        } else if !parameter.takesValue {
            options.append((flag, nil))
        } else {
            options.removeAll { $0.0 == flag && random.below(4) != 0 }
            options.append((flag, value))
        }
    }
    // Structure: an unknown flag, a flag without its value, a duplicated flag, `--`.
    var tail: [String] = []
    switch random.below(16) {
    case 0: tail = ["--no-such-flag"]; label = "structure"
    case 1: if let last = options.last(where: { $0.1 != nil }) { tail = [last.0]; label = "structure" }
    case 2: if let first = options.first { tail = [first.0] + (first.1.map { [$0] } ?? []); label = "structure" }
    default: break
    }
    var arguments = command.path
    for (flag, value) in options {
        if let value { arguments += random.below(8) == 0 && flag.hasPrefix("--") ? ["\(flag)=\(value)"] : [flag, value] } else { arguments.append(flag) }
    }
    let values = positionals.flatMap { $0.1 }
    if values.contains(where: { $0.hasPrefix("-") }) { arguments.append("--") }
    arguments += values + tail
    return FuzzCase(label: command.path.joined(separator: " ") + "|" + label, arguments: arguments.map(bytes))
}

/// `text`'s bytes, with U+00FF and U+00FE standing for the raw bytes 0xFF and 0xFE.
func bytes(_ text: String) -> [UInt8] {
    text.unicodeScalars.flatMap { scalar -> [UInt8] in
        scalar.value == 0xFF || scalar.value == 0xFE ? [UInt8(scalar.value)] : Array(String(scalar).utf8)
    }
}

func good(_ parameter: Parameter, _ command: Command, _ random: inout Generator) -> String {
    let key = parameter.names.first ?? parameter.valueName
    if command.path == ["import"] && key == "model" { return "model.onnx" }
    if command.path == ["report"] && key == "--out" { return random.pick(["results", "results-bad"]) }
    if let value = quickFor[command.path.joined(separator: " ")]?[key] { return value }
    if let values = goodValues[key] { return random.pick(values) }
    if !parameter.values.isEmpty { return random.pick(parameter.values) }
    return parameter.defaultValue ?? "1"
}

/// Whether `parameter` names a file or directory.
func isPath(_ parameter: Parameter) -> Bool {
    ["file", "dir", "model", "file.jsonl", "out", "input", "data", "resume"].contains(parameter.valueName)
        || parameter.names.contains { CommandFixtures.outputFlags.contains($0) || ["--data", "--input", "--resume", "--model"].contains($0) }
}

/// A value for `parameter` and its class: paths get mostly path classes and crafted model
/// files, other arguments mostly numbers; every argument sometimes gets the other kind.
func fuzzedValue(_ parameter: Parameter, _ command: Command, _ random: inout Generator, crafted: [String], others: [String]) -> (String, String) {
    let roll = random.below(20), path = isPath(parameter)
    let paths = others.filter { $0.contains(".") || $0.contains("/") || $0 == "data" || $0 == "out" }
    if roll < 2 || (roll < 4 && !paths.isEmpty && path) { return paths.isEmpty ? ("good", good(parameter, command, &random)) : ("same-path", random.pick(paths)) }
    if roll < 5 { return ("enum", parameter.values.isEmpty ? good(parameter, command, &random) : random.pick(parameter.values)) }
    if roll < 8 { return ("good", good(parameter, command, &random)) }
    if path ? roll < 10 : roll < 16 { let (kind, values) = random.pick(numberClasses); return (kind, random.pick(values)) }
    if path && roll >= 16 { return ("crafted-model", random.pick(crafted)) }
    let (kind, values) = random.pick(pathClasses)
    return (kind, random.pick(values))
}

/// Runs `rectifier ARGUMENTS` in a forked child in `directory`; standard error to `errorPath`.
func start(_ arguments: [[UInt8]], in directory: String, errorPath: String, outputPath: String = "/dev/null", executable: String? = nil) -> pid_t {
    fflush(nil)
    let pid = fork()
    if pid == 0 {
        let null = open("/dev/null", O_RDWR)
        let error = open(errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        dup2(null, 0)
        dup2(output, 1)
        dup2(error, 2)
        guard chdir(directory) == 0 else { _exit(120) }
        if let executable {
            let argv = ([executable] + arguments.map { String(decoding: $0, as: UTF8.self) }).map { strdup($0) } + [nil]
            execv(executable, argv)
            _exit(127)
        }
        // The command runs on a new thread: the Swift runtime's locks know a thread by an id
        // cached per thread, and the forking thread's is the parent's, so a lock that thread
        // waits for in the child is never handed over (a hang the tool, started by exec, never
        // has). The child's first thread only waits.
        childArguments = arguments
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_create(&thread, &attributes, { _ in RectifierCommand.runFromCommandLine(childArguments) }, nil)
        pthread_join(thread, nil)
        _exit(121)
    }
    return pid
}

/// The arguments of the command a child runs (set in the child after the fork).
nonisolated(unsafe) var childArguments: [[UInt8]] = []

@main
struct CLIFuzzer {
    static func main() throws {
        // OpenBLAS starts its thread pool when loaded; a child forked from a process with that
        // pool can hang in it (the tool, started by exec, never is). The tool keeps OpenBLAS on
        // one thread anyway, so the fuzzer runs with OpenBLAS's pool off from the start.
        if getenv("OPENBLAS_NUM_THREADS").map({ String(cString: $0) }) != "1" {
            setenv("OPENBLAS_NUM_THREADS", "1", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        }
        let options = CommandLine.arguments.dropFirst()
        func option(_ name: String, _ fallback: String) -> String {
            options.firstIndex(of: name).map { options[options.index(after: $0)] } ?? fallback
        }
        let generated = Int(option("--commands", "20000")) ?? 20000
        let seed = UInt64(option("--seed", "1")) ?? 1
        let work = option("--work", ".build/fuzz/cli")
        let limit = Double(option("--time-limit", "20")) ?? 20
        let workers = Int(option("--jobs", "2")) ?? 2
        let corpusPath = option("--corpus", work + "/corpus.txt")
        let fixtures = work + "/fixtures"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        // The grammar, from the tool itself.
        let helpPath = work + "/help.json"
        let helpPid = start([Array("--experimental-dump-help".utf8)], in: ".", errorPath: "/dev/null", outputPath: helpPath)
        guard CommandFixtures.wait(for: helpPid, seconds: 60) == .exited(0) else { fatalError("--experimental-dump-help failed") }
        let help = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: helpPath))) as? [String: Any] ?? [:]
        let commands = grammar(help)
        print("grammar: \(commands.count) commands, \(commands.reduce(0) { $0 + $1.parameters.count }) arguments")

        try FileManager.default.createDirectory(atPath: fixtures, withIntermediateDirectories: true)
        try CommandFixtures.make(in: fixtures) { arguments in
            let pid = start(arguments.map { Array($0.utf8) }, in: fixtures, errorPath: work + "/fixtures-stderr.txt")
            return CommandFixtures.wait(for: pid, seconds: 120) == .exited(0) ? 0 : 1
        }
        let before = CommandFixtures.snapshot(fixtures)
        let fixturePaths = Set(FileManager.default.enumerator(atPath: fixtures)?.allObjects as? [String] ?? [])
        for slot in 0..<workers { CommandFixtures.copy(fixtures, to: work + "/sandbox-\(slot)") }
        let crafted = before.keys.filter { $0.hasPrefix("data-") || $0.contains("-cut") || $0.contains("-flip") || $0.contains("-meta-") || $0.contains("-dtype-") || $0.contains("-shape-") || $0.contains("-offsets-") || $0.contains("-no-metadata") }.sorted()

        // `--replay FILE`: the commands of a corpus or findings file instead of generated ones.
        let replay = try options.firstIndex(of: "--replay").map { index in
            try String(contentsOfFile: options[options.index(after: index)], encoding: .utf8).split(separator: "\n").compactMap { line in
                let fields = line.split(separator: "\t", maxSplits: 1)
                return FuzzCase(line: fields.count == 2 && !fields[0].contains("|") ? fields[1] : line)
            }
        }
        let count = replay?.count ?? generated
        var random = Generator(seed: seed)
        var findings: [(String, FuzzCase)] = []
        var outcomes: [String: Int] = [:]
        var corpus: [String: FuzzCase] = [:]
        var running: [Int: (pid: pid_t, started: Date, fuzzCase: FuzzCase)] = [:]
        let clock = Date()
        var issued = 0, done = 0
        _ = FileManager.default.createFile(atPath: work + "/log.txt", contents: nil)
        let log = FileHandle(forWritingAtPath: work + "/log.txt")

        func finish(_ slot: Int, _ end: CommandEnd) {
            guard let job = running.removeValue(forKey: slot) else { return }
            let sandbox = work + "/sandbox-\(slot)"
            let error = (try? String(contentsOfFile: work + "/stderr-\(slot).txt", encoding: .utf8)) ?? ""
            let after = CommandFixtures.snapshot(sandbox)
            defer { CommandFixtures.reset(sandbox, to: fixtures, before: before, after: after, paths: fixturePaths) }
            done += 1
            let seconds = String(format: "%.2f", Date().timeIntervalSince(job.started))
            log?.write(Data("\(end)\t\(seconds)\t\(job.fuzzCase.line)\t\(error.prefix(200).replacingOccurrences(of: "\n", with: " "))\n".utf8))
            switch end {
            case .exited(let code): outcomes["exit \(code)", default: 0] += 1
            case .signalled: outcomes["signal", default: 0] += 1
            case .timedOut: outcomes["timeout", default: 0] += 1
            }
            if let finding = CommandFixtures.finding(end: end, standardError: error, arguments: job.fuzzCase.arguments, before: before, after: after) {
                findings.append((finding, job.fuzzCase))
                print("finding (\(finding)): rectifier \(job.fuzzCase.shell)\n  \(error.prefix(300))")
            }
            if corpus[job.fuzzCase.label] == nil { corpus[job.fuzzCase.label] = job.fuzzCase }
            if done % 1000 == 0 { print("\(done) commands, \(findings.count) findings, \(Int(Date().timeIntervalSince(clock))) s") }
        }

        while done < count {
            for slot in 0..<workers where running[slot] == nil && issued < count {
                let fuzzCase = replay?[issued] ?? generate(random.pick(commands), &random, crafted: crafted)
                let sandbox = work + "/sandbox-\(slot)"
                let pid = start(fuzzCase.arguments, in: sandbox, errorPath: work + "/stderr-\(slot).txt")
                running[slot] = (pid, Date(), fuzzCase)
                issued += 1
            }
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0, let slot = running.first(where: { $0.value.pid == pid })?.key {
                let signal = status & 0x7F
                finish(slot, signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal))
                continue
            }
            for (slot, job) in running where Date().timeIntervalSince(job.started) > limit {
                // The threads' stacks of a hung command, for the finding (when gdb is there).
                let gdb = start(["-p", "\(job.pid)", "-batch", "-ex", "thread apply all bt"].map { Array($0.utf8) }, in: ".",
                                errorPath: "/dev/null", outputPath: work + "/hang-\(done).txt", executable: "/usr/bin/gdb")
                _ = CommandFixtures.wait(for: gdb, seconds: 60)
                kill(job.pid, SIGKILL)
                waitpid(job.pid, &status, 0)
                finish(slot, .timedOut)
            }
            usleep(1_000)
        }

        let seconds = Date().timeIntervalSince(clock)
        var byClass: [String: Int] = [:]
        for (finding, _) in findings { byClass[finding.split(separator: " ").first.map(String.init) ?? finding, default: 0] += 1 }
        let lines = findings.map { "\($0.0)\t\($0.1.line)" }.joined(separator: "\n")
        try Data((lines.isEmpty ? "" : lines + "\n").utf8).write(to: URL(fileURLWithPath: work + "/findings.txt"))
        // The corpus keeps every command it held and gains one of each label it lacked and
        // every finding.
        let kept = ((try? String(contentsOfFile: corpusPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        let keptLabels = Set(kept.compactMap { FuzzCase(line: Substring($0))?.label })
        var selection = kept
        for line in corpus.keys.sorted().filter({ !keptLabels.contains($0) }).map({ corpus[$0]!.line }) + findings.map({ $0.1.line })
        where !selection.contains(line) {
            selection.append(line)
        }
        try Data((selection.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: corpusPath))
        print(String(format: "%d commands in %.0f s (%d jobs, seed %llu): ", done, seconds, workers, seed)
            + outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        print("findings: \(findings.count)" + byClass.sorted { $0.key < $1.key }.map { ", \($0.key): \($0.value)" }.joined()
            + " (\(work)/findings.txt); corpus: \(selection.count) commands (\(corpusPath))")
        exit(findings.isEmpty ? 0 : 1)
    }
}
