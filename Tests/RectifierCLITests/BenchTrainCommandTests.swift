import Foundation
import RectifierCLI
import Testing

/// `rectifier bench train`: its JSON report on an MNIST-format directory, and its flags.
@Suite struct BenchTrainCommandTests {
    @Test func jsonReportHasTheAgreedKeys() throws {
        let data = try SyntheticMNIST()
        let path = data.file("bench.json")
        try runRectifier(["bench", "train", "--data", data.path, "--epochs", "2", "--threads", "1", "--json", path])
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        for key in ["seconds_per_epoch", "samples_per_second", "gemm_share", "activation_share", "other_share"] {
            let value = try #require(object[key] as? Double, "\(key)")
            #expect(value.isFinite, "\(key)")
        }
        #expect((object["peak_rss_bytes"] as? Int ?? 0) > 0)
        #expect(object["samples"] as? Int == 600)
        #expect((object["epoch_seconds"] as? [Double])?.count == 2)
        #expect(object["data"] as? String == data.path)
        let shares = ["gemm_share", "activation_share", "other_share"].compactMap { object[$0] as? Double }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
    }

    /// A small CNN with batch norm and dropout on 600 images: the JSON names the layers.
    @Test func layersTimeAConvolutionalNetwork() throws {
        let data = try SyntheticMNIST()
        let path = data.file("bench-cnn.json")
        try runRectifier([
            "bench", "train", "--data", data.path, "--epochs", "1", "--threads", "1", "--json", path,
            "--layers", "conv:4x5,batchnorm,maxpool:2,dense:16,dropout:0.5",
        ])
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(object["layers"] as? String == "conv:4x5,batchnorm,maxpool:2,dense:16,dropout:0.5")
        #expect((object["samples_per_second"] as? Double ?? 0) > 0)
    }

    @Test(arguments: ["", "conv:0x5", "dropout:2", "dense:-1", "conv:4x29"])
    func badLayersAreUsageErrors(layers: String) {
        expectUsageError(["bench", "train", "--synthetic", "--layers", layers], naming: "--layers")
    }

    @Test func syntheticAndDataExcludeEachOther() {
        expectUsageError(["bench", "train", "--synthetic", "--data", "/tmp"], naming: "--synthetic")
    }
}
