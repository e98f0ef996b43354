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
    /// The data: an MNIST-format directory (Debian's Fashion-MNIST by default), a `.csv`,
    /// `.npz` or `.npy` file, or a folder of PNG class folders (see ``DataReader``).
    public let dataDirectory: String
    /// Where progress goes.
    public let progress: ProgressReporter
    private var loadedImages: ImageDataSet?
    private var loadedSource: ExperimentData.Source?
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

    /// The data as grey images (an MNIST-format directory as it is; other sources as
    /// ``ExperimentData/Source/images()`` allows), read on first use and kept.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` with the
    ///   reader's message (a missing directory suggests `make deps`), or saying that the
    ///   data are not images.
    public func images() throws(ExperimentError) -> ImageDataSet {
        if let loadedImages { return loadedImages }
        let loaded: ImageDataSet
        if isMNIST {
            do {
                loaded = try FashionMNIST.load(directory: dataDirectory)
            } catch {
                throw .invalidOption(flag: "--data", reason: error.description)
            }
        } else {
            loaded = try source().images()
        }
        loadedImages = loaded
        return loaded
    }

    /// The data in any form `rectifier train` reads, read on first use and kept.
    /// - Throws: as ``images()``, and the reader's message for other sources.
    package func source() throws(ExperimentError) -> ExperimentData.Source {
        if let loadedSource { return loadedSource }
        let loaded = loadedImages != nil || isMNIST ? try ExperimentData.Source(images()) : try ExperimentData.Source(path: dataDirectory)
        loadedSource = loaded
        return loaded
    }

    /// Whether ``dataDirectory`` is read as MNIST-format files: it holds them, or it cannot
    /// be read at all (the Fashion-MNIST reader's message says how to install it).
    private var isMNIST: Bool {
        (try? DataReader.format(of: dataDirectory)).map { $0 == .mnist } ?? true
    }

    /// The data cut to `sizes` (see ``ExperimentData/init(_:sizes:)``).
    package func data(_ sizes: ExperimentData.Sizes) throws(ExperimentError) -> ExperimentData {
        try ExperimentData(source(), sizes: sizes)
    }

    /// Refuses data too small for `sizes` before an experiment spends time on it (tuning),
    /// without cutting the data.
    /// - Throws: as ``data(_:)``.
    package func checkData(_ sizes: ExperimentData.Sizes) throws(ExperimentError) {
        try ExperimentData.check(source(), sizes: sizes)
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

