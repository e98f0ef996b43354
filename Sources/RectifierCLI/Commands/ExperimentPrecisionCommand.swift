import ArgumentParser
import Datasets
import Experiments

/// `rectifier experiment precision`: Float64, Float32 and int8 inference of the same trained
/// networks, one per activation of the family.
struct ExperimentPrecisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Float64 vs Float32 vs int8: accuracy, agreement, size and speed per activation.",
        discussion: """
            Trains a 784-256-128-10 network per activation (relu, leaky, prelu, softplus, sigmoid, \
            tanh) and seed on Fashion-MNIST, quantises it to int8 (calibrated on 2000 training \
            images) and evaluates the three forms. Writes DIR/precision.json, precision-1.csv, \
            precision-agreement.svg and precision-throughput.svg.
            """)

    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try options.checkOutput()
        let document = try PrecisionExperiment.run(
            options: PrecisionExperiment.Options(
                outputDirectory: options.out, seeds: options.seeds, full: options.full, threads: options.threads,
                dataDirectory: options.data ?? FashionMNIST.defaultDirectory),
            progress: { printToStandardError("precision: " + $0) })
        for claim in document.claims {
            print("\(claim.supported ? "supported" : "not supported"): \(claim.measured)")
        }
        print("wrote \(options.out)/precision.json")
    }
}
