import Datasets
import Foundation
import Testing

/// The real Fashion-MNIST, as Debian's `dataset-fashion-mnist` installs it.
@Suite struct FashionMNISTTests {
    static let installed = FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory)

    @Test func defaultDirectoryIsPresent() {
        if !Self.installed {
            Issue.record(
                "\(FashionMNIST.defaultDirectory) is absent: run `make deps`; the Fashion-MNIST tests were skipped"
            )
        }
    }

    @Test(.enabled(if: installed)) func loadsTheFullDataSet() throws {
        let data = try FashionMNIST.load()
        #expect(data.training.count == 60_000 && data.test.count == 10_000)
        #expect(data.training.rows == 28 && data.training.columns == 28)
        #expect(data.test.rows == 28 && data.test.columns == 28)
        #expect(
            data.training.pixels.count == 60_000 * 784 && data.test.pixels.count == 10_000 * 784)
        #expect(data.training.classCounts() == [Int](repeating: 6_000, count: 10))
        #expect(data.test.classCounts() == [Int](repeating: 1_000, count: 10))
        #expect(data.training.classNames[9] == "Ankle boot")
        // Reference figures from Python's gzip module and numpy on the same files:
        // labels[:10] and the sum of all pixel bytes.
        #expect(Array(data.training.labels.prefix(10)) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(Array(data.test.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        #expect(byteSum(data.training.pixels) == 3_431_114_169)
        #expect(byteSum(data.test.pixels) == 573_469_082)
        #expect(byteSum(Array(data.training.pixels(ofImage: 0))) == 76_247)
    }

    @Test(.enabled(if: installed)) func heldOutSplitIsStratified() throws {
        let training = try FashionMNIST.load().training
        let split = try training.heldOutSplit(validationCount: 5_000, seed: 0)
        #expect(split.validation.count == 5_000 && split.training.count == 55_000)
        #expect(split.validation.classCounts() == [Int](repeating: 500, count: 10))
        #expect(split.training.classCounts() == [Int](repeating: 5_500, count: 10))
    }

    /// The pixels back as bytes (x/255·255 rounds back to x), summed.
    private func byteSum(_ pixels: [Float]) -> Int {
        pixels.reduce(0) { $0 + Int(($1 * 255).rounded()) }
    }
}
