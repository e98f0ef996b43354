import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The command-line fuzzer's regression corpus (`Corpus/cli-fuzz-corpus.txt`, kept by
/// `make fuzz-cli`: every command it ever found at fault and a seeded sample covering each
/// subcommand × value class), replayed on the built executable with the fuzzer's checks: no
/// signal or hang, exit status 0, 1 or 64 with one `rectifier: ` line on failure, and no
/// file the command does not write changed (none at all when it fails).
@Suite(.serialized) struct FuzzCorpusTests {
    static let corpusPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Corpus/cli-fuzz-corpus.txt").path

    static func corpus() throws -> [FuzzCase] {
        try String(contentsOfFile: corpusPath, encoding: .utf8).split(separator: "\n").compactMap(FuzzCase.init(line:))
    }

    @Test func lineFormatKeepsEveryByte() {
        let odd = FuzzCase(label: "plot|non-utf8", arguments: [Array("plot".utf8), [0x70, 0xFF, 0x5C, 0x09, 0x0A], []])
        #expect(FuzzCase(line: Substring(odd.line)) == odd)
        #expect(!odd.line.contains("\n"))
    }

    @Test func outputPathsAreComparedBySpelling() {
        #expect(CommandFixtures.normalized("./model.safetensors") == "model.safetensors")
        #expect(CommandFixtures.normalized("./out//a/../b") == "out/b")
        #expect(CommandFixtures.normalized("./") == ".")
        #expect(CommandFixtures.normalized("../x") == "../x")
        #expect(CommandFixtures.normalized("/tmp/./x") == "/tmp/x")
        let arguments = [Array("train".utf8), Array("--save=./m.safetensors".utf8), Array("-o".utf8), Array("out/".utf8)]
        #expect(CommandFixtures.declaredOutputs(arguments) == ["m.safetensors", "out"])
    }

    @Test func checksFlagWhatTheyShould() {
        let before = ["model.safetensors": Data([1, 2]), "keep.txt": Data([3])]
        let save = [Array("train".utf8), Array("--save".utf8), Array("./model.safetensors".utf8)]
        var after = before
        after["model.safetensors"] = Data([9])
        func finding(_ end: CommandEnd, _ error: String = "", _ after: [String: Data]) -> String? {
            CommandFixtures.finding(end: end, standardError: error, arguments: save, before: before, after: after)
        }
        #expect(finding(.exited(0), "", after) == nil)  // the declared output was written
        #expect(finding(.exited(1), "rectifier: no\n", after) == "changed model.safetensors")  // refused: nothing changes
        #expect(finding(.exited(1), "rectifier: no\n", before) == nil)
        #expect(finding(.exited(64), "two\nlines\n", before) == "message")
        #expect(finding(.exited(1), "train: 10%\rtrain: 100%\nrectifier: diverged\n", before) == nil)
        #expect(finding(.exited(1), "rectifier: diverged\nand more\n", before) == "message")
        #expect(finding(.exited(2), "rectifier: no\n", before) == "exit status 2")
        #expect(finding(.signalled(4), "", before) == "signal 4")
        #expect(finding(.timedOut, "", before) == "hang")
        after = before
        after["keep.txt"] = nil
        #expect(finding(.exited(0), "", after) == "changed keep.txt")
    }

    @Test func resetPutsTheSandboxBack() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-reset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let fixtures = work + "/fixtures", sandbox = work + "/sandbox"
        try FileManager.default.createDirectory(atPath: fixtures + "/data", withIntermediateDirectories: true)
        try Data([1]).write(to: URL(fileURLWithPath: fixtures + "/keep.txt"))
        try Data([2]).write(to: URL(fileURLWithPath: fixtures + "/data/x"))
        let before = CommandFixtures.snapshot(fixtures)
        let paths = Set(FileManager.default.enumerator(atPath: fixtures)?.allObjects as? [String] ?? [])
        CommandFixtures.copy(fixtures, to: sandbox)
        #expect(CommandFixtures.snapshot(sandbox) == before)
        // A command changes one file, removes another and adds a file and a folder.
        try Data([9]).write(to: URL(fileURLWithPath: sandbox + "/keep.txt"))
        try FileManager.default.removeItem(atPath: sandbox + "/data/x")
        try FileManager.default.createDirectory(atPath: sandbox + "/out/sub", withIntermediateDirectories: true)
        try Data([3]).write(to: URL(fileURLWithPath: sandbox + "/out/sub/y"))
        let after = CommandFixtures.snapshot(sandbox)
        #expect(after != before)
        CommandFixtures.reset(sandbox, to: fixtures, before: before, after: after, paths: paths)
        #expect(CommandFixtures.snapshot(sandbox) == before)
        #expect(!FileManager.default.fileExists(atPath: sandbox + "/out"))
        // A fixture folder removed: reset falls back to a fresh copy.
        try FileManager.default.removeItem(atPath: sandbox + "/data")
        CommandFixtures.reset(sandbox, to: fixtures, before: before, after: CommandFixtures.snapshot(sandbox), paths: paths)
        #expect(CommandFixtures.snapshot(sandbox) == before)
    }

    /// Every third command of the corpus (in file order, which groups them by subcommand, so
    /// every subcommand is replayed), under 80 s in a debug build on two shared cores; all of them with
    /// `RECTIFIER_FUZZ_CORPUS=all` in the environment.
    static func replayed(_ cases: [FuzzCase]) -> [FuzzCase] {
        if ProcessInfo.processInfo.environment["RECTIFIER_FUZZ_CORPUS"] == "all" { return cases }
        return cases.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
    }

    @Test func corpusReplaysWithoutFinding() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 100)
        let cases = Self.replayed(corpus)
        let commands = Set(corpus.map { $0.label.split(separator: "|").first ?? "" })
        #expect(Set(cases.map { $0.label.split(separator: "|").first ?? "" }) == commands)
        _ = try ToolProcess.executable()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-corpus-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let fixtures = work + "/fixtures", sandbox = work + "/sandbox"
        try CommandFixtures.make(in: fixtures) { arguments in
            guard let process = try? ToolProcess(arguments.map { Array($0.utf8) }, directory: work, workingDirectory: fixtures)
            else { return -1 }
            return process.wait()
        }
        let before = CommandFixtures.snapshot(fixtures)
        let paths = Set(FileManager.default.enumerator(atPath: fixtures)?.allObjects as? [String] ?? [])
        CommandFixtures.copy(fixtures, to: sandbox)
        for fuzzCase in cases {
            let process = try ToolProcess(fuzzCase.arguments, directory: work, input: "/dev/null", workingDirectory: sandbox)
            let end = CommandFixtures.wait(for: process.pid, seconds: 60)
            let after = CommandFixtures.snapshot(sandbox)
            let finding = CommandFixtures.finding(
                end: end, standardError: process.error, arguments: fuzzCase.arguments, before: before, after: after)
            #expect(finding == nil, "rectifier \(fuzzCase.shell): \(process.error)")
            CommandFixtures.reset(sandbox, to: fixtures, before: before, after: after, paths: paths)
        }
    }
}
