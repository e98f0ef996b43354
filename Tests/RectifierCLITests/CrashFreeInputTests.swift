import Activations
import Foundation
import Interchange
import Networks
import RectifierCLI
import Runtime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Inputs that used to end a command with a trap, an allocation abort or a quadratic parse,
/// now each a one-line message (docs/RELIABILITY.md, the command line).
@Suite struct CrashFreeInputTests {
    static let small = BadInputCommandTests.small

    @Test(arguments: [
        (1e300, 4, "1e+300"), (-1e300, 2, "-1e+300"), (.nan, 4, "nan"), (.infinity, 4, "inf"), (-.infinity, 0, "-inf"),
        (9.1e15, 4, "9.1e+15"), (123_456.789, 2, "123456.79"), (0.5, 0, "1"), (-0.004, 2, "0.00"), (2.5, 4, "2.5000"),
    ])
    func decimalsPrintAnyMagnitude(value: Double, places: Int, text: String) {
        #expect(decimal(value, places) == text)
    }

    @Test func theProgressBarDrawsAnyValue() {
        for seconds in [Double.nan, .infinity, -.infinity, 1e300, -5, 1e12] {
            #expect(ProgressBar.clock(seconds) == "–", "\(seconds)")
        }
        #expect(ProgressBar.clock(1e11) == "27777777:46:40")
        #expect(ProgressBar.bar(.nan, width: 4) == "    ")
        #expect(ProgressBar.bar(1e300, width: 4) == "████")
        #expect(ProgressBar.bar(-.infinity, width: 4) == "    ")
        #expect(ProgressBar.bar(0.5, width: -3) == "")
        let bar = ProgressBar(label: "test", total: .nan, plainLineInterval: 0)
        bar.update(completed: .infinity, status: "loss \(decimal(1e300, 4))")
        bar.update(completed: .nan, status: "")
        bar.finish(status: "")
    }

    /// SGD at 10¹² drives the first epoch's mean loss to about 1.8·10²¹ on this data (the
    /// units die, so it does not overflow): printing it used to trap converting to Int. Run
    /// as a process, so a trap shows as a signal and the output is its own.
    @Test func aHugeFiniteLossIsPrintedNotATrap() throws {
        let data = try SyntheticMNIST()
        let run = try ToolProcess.run(
            ["train", "--data", data.path, "--optimizer", "sgd", "--lr", "1e12", "--epochs", "2", "--hidden", "16",
             "--batch-size", "32", "--threads", "1", "--validation", "100"],
            directory: data.path)
        #expect(run.status == 0)
        let first = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("epoch 1/2  train loss ") })
        #expect(first.contains("e+21 acc"), "\(first)")
    }

    @Test(arguments: ["9223372036854775807", "2147483648", "16,9223372036854775807", "99999999999999999999"])
    func hiddenWidthsBeyondTheLimitAreUsageErrors(hidden: String) {
        expectUsageError(["train", "--hidden", hidden], naming: "--hidden")
    }

    @Test func aNetworkLargerThanTheMemoryIsRefusedNamingTheFlag() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors")
        let error = try #require(failureOfRectifier(
            ["train", "--data", data.path, "--hidden", "2000000000", "--save", model] + Self.small.dropFirst(2)))
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 1)
        #expect(message.hasPrefix("--hidden 2000000000: needs ") && message.contains(" TB of memory; this machine has "), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    /// The 408-byte file of the report (a 10⁸-wide layer, no tensors) and one claiming
    /// (2³¹ − 1)² weights: every command reading a model names the missing tensor.
    @Test(arguments: [100_000_000, Architecture.maximumWidth])
    func aModelFileWhoseMetadataClaimsAHugeLayerIsRefused(width: Int) throws {
        let data = try SyntheticMNIST()
        let path = data.file("wide.safetensors")
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: width == Architecture.maximumWidth ? width : 64, hiddenSizes: [width],
            hiddenActivation: .fixed(.relu), outputSize: 10)
        try SafeTensors(metadata: [ModelFile.formatKey: ModelFile.formatName, ModelFile.architectureKey: architecture.jsonString])
            .write(to: path)
        let output = data.file("out.onnx")
        for arguments in [
            ["evaluate", path, "--data", data.path], ["export", path, "-o", output],
            ["quantize", path, "--data", data.path, "-o", output], ["train", "--resume", path, "--data", data.path, "--epochs", "2"],
        ] {
            let error = try #require(failureOfRectifier(arguments), "\(arguments)")
            let (status, message) = exitStatusAndMessage(error)
            #expect(status == 1, "\(arguments)")
            #expect(message.hasSuffix("\(path): tensor 'layers.0.weight' is missing"), "\(arguments): \(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aModelFileLargerThanTheMemoryIsNotRead() throws {
        let data = try SyntheticMNIST()
        let path = data.file("sparse.safetensors")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0 && ftruncate(descriptor, off_t(1) << 40) == 0)
        close(descriptor)
        try #require(1 << 40 > MemoryBudget.availableBytes())
        let error = try #require(failureOfRectifier(["evaluate", path, "--data", data.path]))
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 1)
        #expect(message.hasPrefix("\(path): a file of 1.1 TB: needs 1.1 TB of memory"), "\(message)")
    }

    @Test func leakyUnitsTooWideForTheMemoryLeavesNoDirectory() throws {
        let data = try SyntheticMNIST()
        let directory = data.file("d")
        let error = try #require(failureOfRectifier(
            ["experiment", "leaky-units", "--units", "100000000", "--skip-images", "--skip-profile", "--out", directory]))
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 1)
        #expect(message.hasPrefix("--units 100000000: needs ") && message.contains(" of memory"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: directory))
        let long = try #require(failureOfRectifier(
            ["experiment", "leaky-units", "--lengths", "4611686018427387904", "--skip-images", "--skip-profile", "--out", directory]))
        #expect(exitStatusAndMessage(long).1.hasPrefix("--lengths 4611686018427387904: needs more than 9.2 EB of memory"))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    /// argument-parser alone took minutes for 100 000 values (quadratic); the bound is far
    /// above the linear time (about 0.3 s for the whole process) and far below the quadratic.
    @Test func longListsOfValuesAreParsedInLinearTime() throws {
        let data = try SyntheticMNIST()
        let start = MonotonicClock.now
        let run = try ToolProcess.run(["eval", "relu", "--"] + (1...100_000).map { String($0) }, directory: data.path)
        #expect(MonotonicClock.now - start < 20)
        #expect(run.status == 0)
        let rows = run.output.split(separator: "\n")
        #expect(rows.count == 100_001)
        #expect(rows[1] == "1.0,1.0,1.0" && rows[2] == "2.0,2.0,1.0" && rows.last == "100000.0,100000.0,1.0")
        let negative = try ToolProcess.run(["eval", "relu", "--type", "double", "--", "-3", "2", "-1"], directory: data.path)
        #expect(negative.output == "x,value,derivative\n-3.0,0.0,0.0\n2.0,2.0,1.0\n-1.0,0.0,0.0\n")
        let interleaved = try ToolProcess.run(["eval", "relu", "1", "--type", "double", "2", "3"], directory: data.path)
        #expect(interleaved.output == "x,value,derivative\n1.0,1.0,1.0\n2.0,2.0,1.0\n3.0,3.0,1.0\n")
    }

    @Test func commandLinesOfThousandsOfArgumentsAreRefused() {
        expectUsageError(["plot"] + Array(repeating: "relu", count: 2000), naming: "2001 arguments are too many")
        expectUsageError(["plot"] + Array(repeating: "relu", count: 65), naming: "65 activations are too many for one chart (at most 64)")
    }

    @Test(arguments: [
        ["train", "--threads", "1025"], ["evaluate", "m", "--threads", "9223372036854775807"],
        ["bench", "train", "--threads", "100000"], ["bench", "inference", "--threads", "2147483648"],
        ["experiment", "depth", "--threads", "1025"], ["bench", "activations", "--threads", "1,4096"],
        ["experiment", "depth", "--seeds", "9223372036854775807"], ["run", "--seeds", "1001"],
        ["bench", "activations", "--runs", "9223372036854775807"],
    ])
    func countsBeyondTheirLimitAreUsageErrors(arguments: [String]) {
        expectUsageError(arguments)
    }

    @Test func theInferenceBenchmarkNeedsEnoughImages() throws {
        let few = try SyntheticMNIST(trainingCount: 600, testCount: 200)
        let error = try #require(failureOfRectifier(["bench", "inference", "--data", few.path, "--threads", "1"]))
        #expect(exitStatusAndMessage(error).0 == 1)
        #expect(exitStatusAndMessage(error).1 == "--data \(few.path): the benchmark calibrates on 2048 training images; the directory has 600")
        let enough = try SyntheticMNIST(trainingCount: 2048, testCount: 200)
        let batch = try #require(failureOfRectifier(["bench", "inference", "--data", enough.path, "--batches", "1,1000"]))
        #expect(exitStatusAndMessage(batch).0 == 64)
        #expect(exitStatusAndMessage(batch).1 == "--batches: 1000 is larger than the 200 test images of \(enough.path)")
    }
}
