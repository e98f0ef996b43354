// The soak: repeated read/train/save/load/evaluate cycles in one process, to show that
// resident memory stays flat (no leak). Not built by SwiftPM and not part of CI; run from
// the repo root:
//
//   make soak SOAK_MINUTES=30
//
// which builds the release modules, writes a small MNIST-format directory
// (scripts/small-dataset.py) and runs `soak MINUTES DATA_DIR WORK_DIR`.
import Datasets
import Interchange
import Networks

#if canImport(Glibc)
import Glibc
#endif

/// Each cycle reads the gzip IDX files, trains a fresh 784-64-32-10 network for one epoch
/// (the hidden activation rotates through the family), saves it with its training state,
/// loads it back, checks the parameters survived bit for bit and evaluates it on the test
/// images. After each cycle the resident set size (VmRSS of /proc/self/status) is sampled.
///
/// The first fifth of the run (at least one cycle) is warm-up: allocator pools, BLAS
/// buffers and the worker pool settle. Growth compares the median RSS of the last five
/// cycles with that of the first five after warm-up; the run passes when it is ≤ 1%.
@main
struct Soak {
    static let activations = ["relu", "leaky:0.01", "prelu", "softplus", "tanh", "sigmoid", "abs"]
    static let allowedGrowth = 0.01

    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let minutes = Double(arguments[1]), minutes > 0 else {
            print("usage: soak MINUTES DATA_DIR WORK_DIR")
            exit(64)
        }
        let (dataDirectory, workDirectory) = (arguments[2], arguments[3])
        let modelPath = workDirectory + "/soak-model.safetensors"
        let start = monotonicSeconds()
        let warmUpEnd = start + minutes * 12
        var samples: [(seconds: Double, kilobytes: Int, warm: Bool)] = []
        var cycle = 0
        var nextReport = start
        while monotonicSeconds() - start < minutes * 60 {
            let accuracy = try runCycle(cycle, dataDirectory: dataDirectory, modelPath: modelPath)
            cycle += 1
            let now = monotonicSeconds()
            samples.append((now - start, residentKilobytes(), now >= warmUpEnd && cycle > 1))
            if now >= nextReport {
                print("cycle \(cycle): \(Int(now - start)) s, RSS \(samples.last!.kilobytes) kB, "
                    + "test accuracy \(accuracy)")
                nextReport = now + 30
            }
        }
        let warm = samples.filter(\.warm).map(\.kilobytes)
        guard warm.count >= 10 else {
            print("soak: only \(warm.count) cycles after warm-up; run longer")
            exit(1)
        }
        let settled = median(Array(warm.prefix(5))), final = median(Array(warm.suffix(5)))
        let growth = Double(final - settled) / Double(settled)
        let peak = samples.map(\.kilobytes).max()!
        print("soak: \(cycle) cycles in \(Int(monotonicSeconds() - start)) s (\(warm.count) after warm-up); "
            + "RSS after warm-up \(settled) kB, at the end \(final) kB, peak \(peak) kB; "
            + "growth \((10_000 * growth).rounded() / 100)% (allowed ≤ \(Int(100 * allowedGrowth))%)")
        exit(growth <= allowedGrowth ? 0 : 1)
    }

    /// One read/train/save/load/evaluate cycle; returns the loaded model's test accuracy.
    static func runCycle(_ cycle: Int, dataDirectory: String, modelPath: String) throws -> Double {
        let images = try FashionMNIST.load(directory: dataDirectory)
        let training = try dataset(images.training), test = try dataset(images.test)
        var generator = SeededGenerator(seed: UInt64(cycle))
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: training.featureCount, hiddenSizes: [64, 32],
            hiddenActivation: try HiddenActivation(parsing: activations[cycle % activations.count]),
            outputSize: images.training.classCount)
        let model = Sequential<Float>(
            architecture: architecture, initialization: try Initialization(), generator: &generator)
        let trainer = Trainer(
            model: model,
            configuration: try TrainingConfiguration(
                epochs: 1, batchSize: 64,
                optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 1e-3)),
            generator: generator)
        try trainer.train(on: training)
        try ModelFile.save(model, trainingState: trainer.state, to: modelPath)
        let loaded = try ModelFile.load(modelPath)
        precondition(
            loaded.model.parameters.snapshot().map(\.bitPattern)
                == model.parameters.snapshot().map(\.bitPattern),
            "cycle \(cycle): the loaded parameters differ from the saved ones")
        return try loaded.model.evaluate(test).accuracy ?? 0
    }

    static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        try Dataset(
            features: try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels),
            labels: images.labels.map(Int.init))
    }

    /// VmRSS of /proc/self/status, in kB.
    static func residentKilobytes() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            if text.hasPrefix("VmRSS:") {
                return Int(text.dropFirst(6).filter(\.isNumber)) ?? 0
            }
        }
        return 0
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }
}
