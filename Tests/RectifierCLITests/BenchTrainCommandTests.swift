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

    @Test func syntheticAndDataExcludeEachOther() {
        expectUsageError(["bench", "train", "--synthetic", "--data", "/tmp"], naming: "--synthetic")
    }
}
