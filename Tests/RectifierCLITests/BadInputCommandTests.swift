import ArgumentParser
import Foundation
import RectifierCLI
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Bad flags, data and output paths through the tool (docs/RELIABILITY.md): each ends with a
/// non-zero exit status and one line naming the flag or file, never a crash or a partial
/// file. `TrainCommandTests` pins the flags it covers already (--lr 0, --batch-size 0, …).
@Suite struct BadInputCommandTests {
    static let small = ["--hidden", "8", "--batch-size", "50", "--threads", "1", "--validation", "100", "--epochs", "1"]

    /// The exit status and message of `arguments`, which must fail.
    static func failure(_ arguments: [String]) throws -> (status: Int32, message: String) {
        let error = try #require(failureOfRectifier(arguments), "\(arguments) succeeded")
        let (status, message) = exitStatusAndMessage(error)
        #expect(!message.contains("\n"), "\(arguments): \(message)")
        return (status, message)
    }

    @Test(arguments: [
        (["--activation", "softplus:beta=0"], "--activation"), (["--activation", "softplus:beta=-1"], "beta"),
        (["--activation", "softplus:beta=nan"], "beta"), (["--activation", "leaky:inf"], "--activation"),
        (["--activation", "prelu:init=nan"], "init"), (["--lr", "inf"], "--lr"), (["--lr", "-inf"], "--lr"),
        (["--lr", "1e-"], "--lr"), (["--hidden", "-3"], "--hidden"), (["--hidden", "12,abc"], "--hidden"),
        (["--epochs", "-1"], "--epochs"), (["--batch-size", "-7"], "--batch-size"),
        (["--weight-decay", "nan"], "--weight-decay"), (["--weight-decay", "-0.5"], "--weight-decay"),
        (["--momentum", "nan", "--optimizer", "sgd"], "--momentum"),
        (["--schedule", "step", "--step-factor", "0"], "step decay factor"),
        (["--schedule", "step", "--step-every", "0"], "step decay period"),
        (["--warmup-steps=-1"], "warm-up steps"), (["--seed", "-1"], "--seed"),
        (["--on-divergence", "ignore"], "--on-divergence"), (["--validation", "0"], "--validation"),
        (["--save-every", "0", "--save", "m.safetensors"], "--save-every"),
    ])
    func impossibleTrainingFlagsAreUsageErrors(_ flags: [String], _ named: String) {
        expectUsageError(["train"] + flags, naming: named)
    }

    @Test func anUnwritableSavePathFailsNamingItAndLeavesNoFile() throws {
        let data = try SyntheticMNIST()
        let path = data.file("missing-directory/model.safetensors")
        let (status, message) = try Self.failure(["train", "--data", data.path, "--save", path] + Self.small)
        #expect(status == 1)
        #expect(message.contains(path), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: path))
        let log = data.file("missing-directory/run.jsonl")
        let logFailure = try Self.failure(["train", "--data", data.path, "--log", log] + Self.small)
        #expect(logFailure.status == 1)
        #expect(logFailure.message.contains("--log \(log)"), "\(logFailure.message)")
    }

    @Test func missingAndDamagedDataNameTheDirectoryOrFile() throws {
        let data = try SyntheticMNIST()
        let missing = try Self.failure(["train", "--data", data.file("nothing-here")] + Self.small)
        #expect(missing.status != 0)
        #expect(missing.message.contains(data.file("nothing-here")), "\(missing.message)")
        let images = try #require(
            try FileManager.default.contentsOfDirectory(atPath: data.path).first { $0.hasPrefix("train-images") })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data.file(images)))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: data.file(images)))
        let damaged = try Self.failure(["train", "--data", data.path] + Self.small)
        #expect(damaged.status != 0)
        #expect(damaged.message.contains(data.file(images)), "\(damaged.message)")
    }

    @Test func aModelFileThatIsNotOneIsRefusedByResumeAndEvaluate() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors")
        try runRectifier(["train", "--data", data.path, "--save", model] + Self.small)
        let good = try Data(contentsOf: URL(fileURLWithPath: model))
        for (name, bytes) in [("truncated", good.prefix(good.count - 9)), ("empty", Data()), ("text", Data("model".utf8))] {
            let damaged = data.file("\(name).safetensors")
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let resumed = try Self.failure(["train", "--data", data.path, "--resume", damaged, "--epochs", "2"])
            #expect(resumed.status == 1, "\(name)")
            #expect(resumed.message.contains("--resume") && resumed.message.contains(damaged), "\(resumed.message)")
            let evaluated = try Self.failure(["evaluate", damaged, "--data", data.path])
            #expect(evaluated.status != 0, "\(name)")
            #expect(evaluated.message.contains(damaged), "\(evaluated.message)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskFailsTheSaveAndKeepsThePreviousCheckpoint() throws {
        let data = try SyntheticMNIST()
        let disk = try TinyDisk(kilobytes: 64)
        defer { disk.remove() }
        let model = disk.path + "/model.safetensors"
        try runRectifier(["train", "--data", data.path, "--save", model] + Self.small)
        let previous = try Data(contentsOf: URL(fileURLWithPath: model))
        let wide = ["--hidden", "256,128", "--batch-size", "50", "--threads", "1", "--validation", "100", "--epochs", "1"]
        let (status, message) = try Self.failure(["train", "--data", data.path, "--save", model] + wide)
        #expect(status == 1)
        #expect(message.contains(model) && message.contains("No space left on device"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["model.safetensors"])
    }
}

/// A tmpfs of `kilobytes` mounted on a fresh directory: a disk that fills up.
struct TinyDisk {
    let path: String

    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount -t tmpfs failed")
    }

    func remove() {
        let unmount = Process()
        unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
        unmount.arguments = [path]
        try? unmount.run()
        unmount.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}
