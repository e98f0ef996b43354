import Activations
import Datasets
import Runtime

/// What every experiment is given: where to write, how many seeds, short or long, threads,
/// where the data is, and where to report progress. One context can serve several
/// experiments in a row (`rectifier run`): it reads the data files once.
public final class ExperimentContext {
    /// The output directory's writer (`DIR/NAME.json`, CSV, SVG).
    public let output: ExperimentOutput
    /// Seeds per configuration, 0, 1, … seeds − 1 (≥ 1).
    public let seeds: Int
    /// Run the long version.
    public let full: Bool
    /// Threads for BLAS and the kernels: the experiments run under `Execution(threads:)` with
    /// this count.
    public let threads: Int
    /// The MNIST-format directory (Debian's Fashion-MNIST by default).
    public let dataDirectory: String
    /// Where progress goes.
    public let progress: ProgressReporter
    private var loadedImages: ImageDataSet?
    /// Every learning-rate tuning done in this context, so experiments of one run share them.
    var tunedRates: [TuningKey: TunedRate] = [:]

    /// `images`, when given, stands for the data directory's files (synthetic data in tests).
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for seeds or threads < 1,
    ///   ``ExperimentError/cannotCreateDirectory(path:reason:)``.
    public init(
        outputDirectory: String, seeds: Int = 3, full: Bool = false, threads: Int? = nil,
        dataDirectory: String? = nil, progress: ProgressReporter = .silent, images: ImageDataSet? = nil
    ) throws(ExperimentError) {
        guard seeds >= 1 else { throw .invalidOption(flag: "--seeds", reason: "\(seeds) is not allowed (≥ 1)") }
        if let threads, threads < 1 {
            throw .invalidOption(flag: "--threads", reason: "\(threads) is not allowed (≥ 1)")
        }
        self.output = try ExperimentOutput(directory: outputDirectory)
        self.seeds = seeds
        self.full = full
        self.threads = threads ?? Execution.current.threads
        self.dataDirectory = dataDirectory ?? FashionMNIST.defaultDirectory
        self.progress = progress
        loadedImages = images
    }

    /// The seeds 0 ..< ``seeds``.
    package var seedList: [UInt64] { (0..<seeds).map(UInt64.init) }

    /// The data files, read on first use and kept.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` with the
    ///   reader's message (a missing directory suggests `make deps`).
    public func images() throws(ExperimentError) -> ImageDataSet {
        if let loadedImages { return loadedImages }
        do {
            let loaded = try FashionMNIST.load(directory: dataDirectory)
            loadedImages = loaded
            return loaded
        } catch {
            throw .invalidOption(flag: "--data", reason: error.description)
        }
    }

    /// The data cut to `sizes` (see ``ExperimentData/init(_:sizes:)``).
    package func data(_ sizes: ExperimentData.Sizes) throws(ExperimentError) -> ExperimentData {
        try ExperimentData(images(), sizes: sizes)
    }

    /// ``commonSettings`` with an experiment's own settings (which win on a clash) and the
    /// description of the data it ran on.
    package func settings(adding own: [String: String], data: ExperimentData) -> [String: String] {
        var merged = commonSettings.merging(own) { _, mine in mine }
        merged["data"] = data.description
        return merged
    }

    /// The settings every experiment records: seeds, version, threads, data directory.
    package var commonSettings: [String: String] {
        [
            "seeds": "\(seeds) (0…\(seeds - 1))", "version": full ? "full" : "short",
            "threads": "\(threads)", "data": dataDirectory,
        ]
    }
}

