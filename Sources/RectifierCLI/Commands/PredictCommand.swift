import ArgumentParser
import Datasets
import Networks
import Runtime

/// `rectifier predict MODEL --data INPUT [-o FILE] [--top-k K] [--format csv|jsonl]`.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write a model's predictions for new inputs as CSV or JSON lines.",
        discussion: """
            Reads --data in any form train takes (a .csv file needs the model's feature columns, \
            by name, in any order; a target column, if present, is ignored; a .npy file holds the \
            features only; a folder of PNG images may have no class folders), applies the \
            model's input scaling, and writes one row per example: index,predicted and, for a \
            classifier, p_<class> for every class (softmax probabilities), or with --top-k K the \
            K most probable classes as top1..topK. --format jsonl writes one JSON object per \
            row with the same keys. The rows are computed and written --batch-size examples at \
            a time, and the inputs are read as they are needed (a .npy or .npz array or an \
            MNIST-format folder's test images that many rows at a time, a CSV file 4 MiB of rows \
            at a time, a folder of PNG images one image at a time), so memory stays flat \
            whatever their size; with -o the file is replaced atomically when all are written.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Argument(help: ArgumentHelp("A model file: .safetensors (rectifier train --save) or .onnx.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The inputs to predict for.", valueName: "path"))
    var data: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the predictions to this file (default: standard output).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the K most probable classes instead of every probability.", valueName: "k"))
    var topK: Int?

    @Option(help: "csv (default) or jsonl.")
    var format: Format = .csv

    @Option(help: "Examples computed and written at a time (default 1024).")
    var batchSize: Int = 1024

    @OptionGroup var threads: ThreadOption

    func validate() throws {
        if data.isEmpty { throw ValidationError("--data needs a value") }
        if let topK, topK < 1 { throw ValidationError("--top-k \(topK) is not allowed (an integer ≥ 1)") }
        if !(1...(1 << 20)).contains(batchSize) {
            throw ValidationError("--batch-size \(batchSize) is not allowed (an integer from 1 to \(1 << 20))")
        }
    }

    func run() throws { try threads.run(runWithThreads) }

    private func runWithThreads() throws {
        var files = CommandFiles()
        files.reads(model, flag: "<model>")
        files.readsData(data)
        files.writes(output, flag: "--output")
        try files.check()
        let loaded = try ModelLoading.load(at: model)
        if let topK {
            guard loaded.data.task == .classification else { throw ValidationError("--top-k applies to classifiers; \(model) is a regression model") }
            guard topK <= loaded.data.classes.count else {
                throw ValidationError("--top-k \(topK) is not allowed: \(model) has \(loaded.data.classes.count) classes")
            }
        }
        var writer = PredictionWriter(model: loaded.data, topK: topK, format: format)
        if let output {
            try AtomicFile.write(to: output) { sink in
                try predict(loaded, &writer) { bytes in try sink.append(bytes) }
            }
        } else {
            try predict(loaded, &writer) { bytes in print(String(decoding: bytes, as: UTF8.self), terminator: "") }
        }
    }

    /// Reads --data, scores it `batchSize` examples at a time and hands each batch's text to
    /// `emit`: the inputs are scaled as they are read into one reused batch buffer, and the
    /// text is built in one reused byte buffer.
    private func predict(_ loaded: LoadedModel, _ writer: inout PredictionWriter, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let model = loaded.data
        // The header follows the first batch, so data that cannot be read prints nothing.
        try model.reader(featuresOnly: true).forEachBatch(of: data, batchSize: batchSize) { shape, _ in
            try model.checkWidth(of: shape, path: data)
            return model.preprocessing
        } _: { examples, first in
            let inputs = try Matrix(rows: examples.count, columns: model.inputSize, scalars: examples.features)
            writer.write(try loaded.scorer.scores(inputs), firstIndex: first)
            if first == 0 { try writer.header.withUnsafeBytes(emit) }
            try writer.bytes.withUnsafeBytes(emit)
        }
    }
}
