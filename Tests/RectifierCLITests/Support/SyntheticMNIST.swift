import Foundation
import Runtime

/// A small MNIST-format directory written for a test: `train-*` and `t10k-*` files of
/// 8 × 8 images in ten classes, each class a bright 2 × 4 bar at its own place plus noise,
/// so a small network learns it in a few epochs. Removed when released.
final class SyntheticMNIST {
    let path: String
    static let side = 8

    init(trainingCount: Int = 600, testCount: Int = 200, seed: UInt64 = 1) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectifier-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var random = SplitMix64(seed: seed)
        try write(count: trainingCount, prefix: "train", random: &random)
        try write(count: testCount, prefix: "t10k", random: &random)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    private func write(count: Int, prefix: String, random: inout SplitMix64) throws {
        let side = Self.side
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for index in 0..<count {
            let label = index % 10
            labels.append(UInt8(label))
            let top = (label / 5) * 4, left = label % 5
            for row in 0..<side {
                for column in 0..<side {
                    let inBar = row >= top && row < top + 2 && column >= left && column < left + 4
                    let noise = Int(random.next() % 60)
                    pixels.append(UInt8(inBar ? 190 + noise : noise))
                }
            }
        }
        try Data(Self.idx(dimensions: [count, side, side], data: pixels))
            .write(to: URL(fileURLWithPath: file("\(prefix)-images-idx3-ubyte")))
        try Data(Self.idx(dimensions: [count], data: labels))
            .write(to: URL(fileURLWithPath: file("\(prefix)-labels-idx1-ubyte")))
    }

    /// Magic `00 00 08 n`, big-endian sizes, data.
    static func idx(dimensions: [Int], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
        for size in dimensions {
            bytes += [UInt8(size >> 24 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
        }
        return bytes + data
    }
}
