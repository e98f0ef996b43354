import Foundation
import Interchange
import RectifierCLI
import Testing

/// `rectifier train` on a small synthetic MNIST-format directory: what it writes, that a
/// resumed run ends bit-identical, divergence, and impossible flags.
@Suite struct TrainCommandTests {
    static let small = ["--hidden", "16", "--batch-size", "32", "--threads", "1", "--validation", "100"]

    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func trainingWritesTheLogAndALoadableModel() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors"), log = data.file("run.jsonl")
        try runRectifier(["train", "--data", data.path, "--epochs", "3", "--lr", "0.01", "--save", model, "--log", log,
                          "--average-weights", "0.9"] + Self.small)
        let lines = try Self.jsonLines(log)
        #expect(lines.count == 4)
        for (index, line) in lines.prefix(3).enumerated() {
            #expect(line["epoch"] as? Int == index + 1)
            for key in ["train_loss", "train_accuracy", "validation_accuracy", "seconds", "average_validation_accuracy"] {
                #expect(line[key] is Double, "\(key) in \(line)")
            }
            #expect((line["dead_unit_fractions"] as? [Any])?.count == 1)
            #expect((line["gradient_norms"] as? [Any])?.count == 2)
        }
        let last = try #require(lines.last)
        let testAccuracy = try #require(last["test_accuracy"] as? Double)
        #expect(testAccuracy > 0.9, "the bars are easy to tell apart: \(testAccuracy)")
        #expect(last["average_test_accuracy"] is Double)
        let checkpoint = try ModelFile.load(model)
        #expect(checkpoint.architecture.hiddenSizes == [16])
        #expect(checkpoint.trainingState?.completedEpochs == 3)
        #expect(checkpoint.averagedParameters?.decay == 0.9)
    }

    @Test(arguments: [["--activation", "relu"], ["--activation", "prelu"], ["--augment", "flip,shift:2"]])
    func aResumedRunEndsBitIdenticalToAnUninterruptedOne(flags: [String]) throws {
        let data = try SyntheticMNIST()
        let common = ["--data", data.path, "--average-weights", "0.95", "--seed", "7"] + flags + Self.small
        let straight = data.file("straight.safetensors"), half = data.file("half.safetensors")
        try runRectifier(["train", "--epochs", "4", "--save", straight] + common)
        try runRectifier(["train", "--epochs", "2", "--save", half] + common)
        let resumed = data.file("resumed.safetensors")
        try FileManager.default.copyItem(atPath: half, toPath: resumed)
        try runRectifier(["train", "--resume", resumed, "--epochs", "4", "--save", resumed, "--data", data.path, "--threads", "1"])
        let expected = try SafeTensors(contentsOf: straight), actual = try SafeTensors(contentsOf: resumed)
        #expect(actual.tensors.keys.sorted() == expected.tensors.keys.sorted())
        for name in expected.tensors.keys.sorted() {
            #expect(actual.tensors[name] == expected.tensors[name], "\(name)")
        }
        #expect(actual.metadata == expected.metadata)
        #expect(try SafeTensors(contentsOf: half).tensors != expected.tensors)
    }

    @Test func aDivergingRunStopsNamingEpochAndBatchAndLeavesTheCheckpoint() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors")
        try runRectifier(["train", "--data", data.path, "--epochs", "1", "--save", model] + Self.small)
        let good = try Data(contentsOf: URL(fileURLWithPath: model))
        let failure = failureOfRectifier(["train", "--data", data.path, "--epochs", "2", "--optimizer", "sgd",
                                          "--lr", "1e30", "--save", model] + Self.small)
        let error = try #require(failure)
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 1)
        #expect(message.contains("diverged at epoch 1, batch "), "\(message)")
        #expect(!message.contains("\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == good)

        let backedOff = try #require(failureOfRectifier(["train", "--data", data.path, "--epochs", "1", "--optimizer", "sgd",
                                                          "--lr", "1e30", "--on-divergence", "backoff"] + Self.small))
        #expect(exitStatusAndMessage(backedOff).1.contains("after 5 learning-rate back-off(s)"))
    }

    @Test(arguments: [
        (["--lr", "0"], "--lr"), (["--lr", "-1e-3"], "--lr"), (["--lr", "nan"], "--lr"),
        (["--batch-size", "0"], "--batch-size"), (["--hidden", ""], "--hidden"), (["--hidden", "256,,128"], "--hidden"),
        (["--hidden", "0"], "--hidden"), (["--epochs", "0"], "--epochs"), (["--optimizer", "rmsprop"], "--optimizer"),
        (["--activation", "swish"], "--activation"), (["--momentum", "1"], "--momentum"),
        (["--save-every", "2"], "--save-every"), (["--average-weights", "1"], "--average-weights"),
        (["--threads", "0"], "--threads"), (["--resume", "x.safetensors", "--lr", "0.1"], "--lr"),
        (["--augment", ""], "--augment"), (["--augment", "shift:0"], "--augment"), (["--augment", "shift:-1"], "--augment"),
        (["--augment", "shift:nan"], "--augment"), (["--augment", "shift:99999999999999999999"], "--augment"),
        (["--augment", "flip,flip"], "--augment"), (["--augment", "rotate"], "--augment"),
        (["--resume", "x.safetensors", "--augment", "flip"], "--augment"),
    ])
    func impossibleFlagsAreUsageErrorsNamingTheFlag(_ flags: [String], _ flag: String) {
        expectUsageError(["train"] + flags, naming: flag)
    }

    @Test func aBatchLargerThanTheDataIsAUsageError() throws {
        let data = try SyntheticMNIST()
        let error = try #require(failureOfRectifier(["train", "--data", data.path, "--batch-size", "100000"]))
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 64)
        #expect(message.contains("--batch-size 100000"), "\(message)")
    }

    /// The data's images are 8 × 8: a shift of 7 pixels trains, 8 or 2⁶³ − 1 is a usage error.
    @Test(arguments: ["shift:8", "flip,shift:9223372036854775807"])
    func aShiftAsLargeAsTheImageIsAUsageError(augment: String) throws {
        let data = try SyntheticMNIST()
        try runRectifier(["train", "--data", data.path, "--epochs", "1", "--augment", "flip,shift:7"] + Self.small)
        let error = try #require(failureOfRectifier(["train", "--data", data.path, "--augment", augment] + Self.small))
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 64)
        #expect(message.contains("--augment '\(augment)'") && message.contains("0…7 pixels for 1×8×8 images"), "\(message)")
        #expect(!message.contains("\n"))
    }
}
