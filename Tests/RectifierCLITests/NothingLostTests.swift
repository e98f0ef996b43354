import Foundation
import Interchange
import RectifierCLI
import Runtime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A refused command changes no file the user had: outputs are checked before any work,
/// a command never writes over its own inputs (by identity, not spelling), two outputs of
/// one command never share a file, and the log appears only with the first epoch.
@Suite struct NothingLostTests {
    static let small = BadInputCommandTests.small

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Expects `arguments` refused with `status` and a one-line message starting with
    /// `prefix`, and every file of `kept` byte-identical afterwards.
    static func expectRefused(
        _ arguments: [String], status: Int32, prefix: String, keeping kept: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try kept.map(bytes)
        let error = try #require(failureOfRectifier(arguments), "\(arguments) succeeded", sourceLocation: sourceLocation)
        let (actual, message) = exitStatusAndMessage(error)
        #expect(actual == status, "\(arguments): \(message)", sourceLocation: sourceLocation)
        #expect(message.hasPrefix(prefix), "\(arguments): \(message)", sourceLocation: sourceLocation)
        #expect(!message.contains("\n"), sourceLocation: sourceLocation)
        #expect(try kept.map(bytes) == before, "\(arguments) changed a file", sourceLocation: sourceLocation)
    }

    /// A trained model `model.safetensors`, its ONNX export `model.onnx`, a symbolic link
    /// and a hard link to the model.
    static func files() throws -> SyntheticMNIST {
        let data = try SyntheticMNIST()
        try runRectifier(["train", "--data", data.path, "--save", data.file("model.safetensors")] + small)
        try runRectifier(["export", data.file("model.safetensors"), "-o", data.file("model.onnx")])
        try FileManager.default.createSymbolicLink(atPath: data.file("link.safetensors"), withDestinationPath: data.file("model.safetensors"))
        try FileManager.default.linkItem(atPath: data.file("model.safetensors"), toPath: data.file("hard.safetensors"))
        return data
    }

    @Test func noCommandWritesOverItsOwnInput() throws {
        let data = try Self.files()
        let model = data.file("model.safetensors"), onnx = data.file("model.onnx")
        for output in [model, data.path + "/./model.safetensors", data.file("link.safetensors"), data.file("hard.safetensors")] {
            try Self.expectRefused(
                ["export", model, "-o", output], status: 64, prefix: "--output \(output) is <model> \(model), which the command reads",
                keeping: [model])
            try Self.expectRefused(
                ["quantize", model, "--data", data.path, "--calibration", "50", "-o", output], status: 64,
                prefix: "--output \(output) is <model> \(model)", keeping: [model])
        }
        try Self.expectRefused(["import", onnx, "-o", onnx], status: 64, prefix: "--output \(onnx) is <model> \(onnx)", keeping: [onnx])
        try Self.expectRefused(
            ["train", "--resume", model, "--log", model, "--data", data.path, "--epochs", "2"], status: 64,
            prefix: "--log \(model) is --resume \(model)", keeping: [model])
        let images = data.file("train-images-idx3-ubyte")
        try Self.expectRefused(
            ["train", "--data", data.path, "--log", images] + Self.small, status: 64,
            prefix: "--log \(images) is --data \(images)", keeping: [images])
        try Self.expectRefused(
            ["bench", "inference", "--data", data.path, "--model", onnx, "--save-model", onnx], status: 64,
            prefix: "--save-model \(onnx) is --model \(onnx)", keeping: [onnx])
    }

    @Test func twoOutputsOfOneCommandNeverShareAFile() throws {
        let data = try Self.files()
        let model = data.file("model.safetensors")
        try Self.expectRefused(
            ["train", "--data", data.path, "--save", model, "--log", model] + Self.small, status: 64,
            prefix: "--save \(model) and --log \(model) are the same file", keeping: [model])
        try Self.expectRefused(
            ["train", "--data", data.path, "--save", model, "--log", data.file("link.safetensors")] + Self.small, status: 64,
            prefix: "--save \(model) and --log \(data.file("link.safetensors")) are the same file", keeping: [model])
        let fresh = data.file("fresh.json")
        try Self.expectRefused(
            ["bench", "inference", "--data", data.path, "--json", fresh, "--save-model", data.path + "/./fresh.json"], status: 64,
            prefix: "--json \(fresh) and --save-model \(data.path)/./fresh.json are the same file", keeping: [])
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    /// Continuing a run in place is the documented use of `--resume m --save m`: allowed,
    /// and atomic (the file is always a whole checkpoint).
    @Test func aRunContinuesInPlace() throws {
        let data = try Self.files()
        let model = data.file("model.safetensors")
        try runRectifier(["train", "--resume", model, "--save", model, "--data", data.path, "--epochs", "2", "--threads", "1"])
        #expect(try ModelFile.load(model).trainingState?.completedEpochs == 2)
    }

    @Test func outputsThatCannotBeWrittenAreFoundBeforeTraining() throws {
        let data = try Self.files()
        let model = data.file("model.safetensors")
        let directory = data.file("a-directory")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try Self.expectRefused(
            ["train", "--data", data.path, "--save", directory] + Self.small, status: 1,
            prefix: "--save \(directory): is a directory; give a file name", keeping: [model])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        try Self.expectRefused(
            ["train", "--data", data.path, "--save", "/proc/rectifier-model.safetensors"] + Self.small, status: 1,
            prefix: "--save /proc/rectifier-model.safetensors: cannot create a file in /proc: ", keeping: [])
        try Self.expectRefused(
            ["train", "--data", data.path, "--save", "/dev/null"] + Self.small, status: 1,
            prefix: "--save /dev/null: is not a regular file", keeping: [])
        try Self.expectRefused(
            ["plot", "relu", "-o", directory], status: 1, prefix: "--output \(directory): is a directory", keeping: [])
        try Self.expectRefused(
            ["export", model, "-o", data.file("missing/model.onnx")], status: 1,
            prefix: "--output \(data.file("missing/model.onnx")): the directory \(data.file("missing")) does not exist",
            keeping: [model])
    }

    /// A run that fails before its first epoch (diverging in epoch 1, or data that cannot be
    /// read) leaves an existing log as it was; the first record replaces it.
    @Test func anExistingLogSurvivesARunThatFailsBeforeItsFirstEpoch() throws {
        let data = try SyntheticMNIST()
        let log = data.file("run.jsonl")
        try Data("the previous run's log\n".utf8).write(to: URL(fileURLWithPath: log))
        try Self.expectRefused(
            ["train", "--data", data.path, "--optimizer", "sgd", "--lr", "1e30", "--log", log] + Self.small, status: 1,
            prefix: "training diverged at epoch 1", keeping: [log])
        try Self.expectRefused(
            ["train", "--data", data.file("nothing-here"), "--log", log] + Self.small, status: 1,
            prefix: "\(data.file("nothing-here")): no such file", keeping: [log])
        try runRectifier(["train", "--data", data.path, "--log", log] + Self.small)
        let lines = try TrainCommandTests.jsonLines(log)
        #expect(lines.count == 2 && lines[0]["epoch"] as? Int == 1 && lines[1]["test_accuracy"] is Double)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    /// Standard output is line-buffered: a run redirected to a file and killed mid-way has
    /// written every finished line (block buffering would show nothing, then 4096 bytes cut
    /// mid-line).
    @Test func aRedirectedRunHoldsEveryFinishedLine() throws {
        let data = try SyntheticMNIST()
        let process = try ToolProcess(
            ["train", "--data", data.path, "--epochs", "100000", "--hidden", "8", "--threads", "1", "--validation", "100"]
                .map { Array($0.utf8) },
            directory: data.path)
        var text = ""
        let start = MonotonicClock.now
        while !text.contains("\nepoch 2/"), MonotonicClock.now - start < 120 {
            usleep(20_000)
            text = process.output
        }
        kill(process.pid, SIGKILL)
        #expect(process.wait() == 128 + SIGKILL)
        let written = process.output
        #expect(written.hasPrefix("train: 64-8-10 relu, adam lr 0.001"), "\(written.prefix(200))")
        #expect(written.contains("\nepoch 1/100000  train loss "))
        #expect(written.hasSuffix("\n"), "a line cut short: \(written.suffix(100))")
    }

    @Test func reportAndExperimentDirectoriesAreCheckedInOneLine() throws {
        let data = try SyntheticMNIST()
        let empty = data.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        try Self.expectRefused(
            ["report", "--out", empty], status: 1,
            prefix: "--out \(empty): no experiment JSON found in \(empty); run `rectifier experiment NAME --out \(empty)` first",
            keeping: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
        // A damaged result is named: cut short, or nested too deep, or a name with a line break.
        let damaged = data.file("damaged")
        try FileManager.default.createDirectory(atPath: damaged, withIntermediateDirectories: false)
        try Data("{\"experiment\": \"cost\", \"runs\": [".utf8).write(to: URL(fileURLWithPath: damaged + "/cost.json"))
        try Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
            .write(to: URL(fileURLWithPath: damaged + "/depth.json"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: damaged + "/a\nb.json"))
        try Self.expectRefused(
            ["report", "--out", damaged], status: 1,
            prefix: "--out \(damaged): no experiment JSON found in \(damaged) (skipped a\\nb.json: not an experiment document; "
                + "cost.json: not an experiment document; depth.json: not an experiment document); run",
            keeping: [damaged + "/cost.json", damaged + "/depth.json", damaged + "/a\nb.json"])
        try Self.expectRefused(
            ["report", "--out", data.file("absent")], status: 1, prefix: "--out \(data.file("absent")): No such file or directory",
            keeping: [])
        #expect(!FileManager.default.fileExists(atPath: data.file("absent")))
        let file = data.file("train-labels-idx1-ubyte")
        for arguments in [["experiment", "depth", "--out", file], ["run", "--out", file], ["experiment", "precision", "--out", file]] {
            try Self.expectRefused(arguments, status: 1, prefix: "--out \(file): is a file, not a directory", keeping: [file])
        }
        try Self.expectRefused(
            ["experiment", "cost", "--out", file + "/sub"], status: 1,
            prefix: "--out \(file)/sub: \(file) is a file, not a directory", keeping: [file])
    }
}
