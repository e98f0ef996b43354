import CZlib
import Datasets
import Foundation
import Runtime

/// The bytes of an IDX file: magic `00 00`, type code, dimension count, big-endian sizes, data.
func idxBytes(typeCode: UInt8 = 0x08, dimensions: [UInt32], data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, typeCode, UInt8(dimensions.count)]
    for size in dimensions {
        bytes += [
            UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF),
            UInt8(size & 0xFF),
        ]
    }
    return bytes + data
}

/// `bytes` compressed as one gzip member by zlib's deflate (window bits 15 + 16 = gzip).
func gzipped(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    let started = deflateInit2_(
        &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size))
    precondition(started == Z_OK, "deflateInit2_ failed: \(started)")
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let status = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = destination.baseAddress
            stream.avail_out = UInt32(destination.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
    return Array(output[..<Int(stream.total_out)])
}

/// Deterministic pseudo-random bytes for fixtures (not the generator under test's job, but
/// any fixed sequence will do).
func fixtureBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 56) }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectifier-datasets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `name` in the directory and returns the file's path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// A small MNIST-format data set: `count` images of `rows × columns` and labels below
/// `classCount`, from fixture bytes.
struct SmallDataSet {
    let images: [UInt8]
    let labels: [UInt8]
    let count: Int
    let rows: Int
    let columns: Int

    init(count: Int, rows: Int, columns: Int, classCount: Int, seed: UInt64) {
        self.count = count
        self.rows = rows
        self.columns = columns
        images = fixtureBytes(count: count * rows * columns, seed: seed)
        labels = (0..<count).map { UInt8($0 % classCount) }
    }

    var imagesFile: [UInt8] {
        idxBytes(dimensions: [UInt32(count), UInt32(rows), UInt32(columns)], data: images)
    }

    var labelsFile: [UInt8] {
        idxBytes(dimensions: [UInt32(count)], data: labels)
    }
}
