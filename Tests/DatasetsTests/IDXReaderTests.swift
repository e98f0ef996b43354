import Datasets
import Foundation
import Testing

/// The IDX reader reads back what was written, plain and gzip, and names each fault.
@Suite struct IDXReaderTests {
    let data = SmallDataSet(count: 5, rows: 3, columns: 4, classCount: 3, seed: 11)

    @Test func readsAPlainFileExactly() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(data.imagesFile, to: "images")
        let array = try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 3)
        #expect(array.dimensions == [5, 3, 4])
        #expect(array.elements == data.images)
    }

    @Test func readsAGzipFileExactlyWhateverItsName() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(gzipped(data.labelsFile), to: "labels.idx")
        let array = try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 1)
        #expect(array.dimensions == [5])
        #expect(array.elements == data.labels)
    }

    @Test func readsGzipFilesOfSeveralMembers() throws {
        let file = data.imagesFile
        let members =
            gzipped(Array(file[..<7])) + gzipped(Array(file[7..<30])) + gzipped(Array(file[30...]))
        let array = try IDXReader.readUnsignedBytes(
            from: members, name: "members", dimensionCount: 3)
        #expect(array.elements == data.images)
    }

    @Test func readsLargeFilesAcrossBufferBoundaries() throws {
        let images = SmallDataSet(count: 300, rows: 28, columns: 28, classCount: 10, seed: 5)
        for bytes in [images.imagesFile, gzipped(images.imagesFile, level: 1)] {
            let array = try IDXReader.readUnsignedBytes(from: bytes, name: "big", dimensionCount: 3)
            #expect(array.dimensions == [300, 28, 28])
            #expect(array.elements == images.images)
        }
    }

    @Test func memoryAndFileGiveTheSameArray() throws {
        let directory = try TemporaryDirectory()
        let compressed = gzipped(data.imagesFile)
        let path = try directory.write(compressed, to: "images.gz")
        let fromFile = try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 3)
        let fromMemory = try IDXReader.readUnsignedBytes(
            from: compressed, name: "m", dimensionCount: 3)
        #expect(fromFile == fromMemory)
    }

    @Test func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/absent"
        let error = #expect(throws: DatasetError.self) {
            try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 1)
        }
        #expect(error == .missingFile(path: path))
        #expect(error?.description.contains(path) == true)
    }

    @Test func unreadableFile() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: DatasetError.self) {
            try IDXReader.readUnsignedBytes(contentsOf: directory.path, dimensionCount: 1)
        }
        guard case .unreadableFile(let path, _) = error else {
            Issue.record("expected unreadableFile, got \(String(describing: error))")
            return
        }
        #expect(path == directory.path)
    }

    @Test func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write([], to: "empty")
        #expect(throws: DatasetError.emptyFile(path: path)) {
            try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 1)
        }
    }

    @Test func badMagic() {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1, 7]
        #expect(throws: DatasetError.badMagic(path: "z", found: [0x50, 0x4B, 0x03, 0x04])) {
            try IDXReader.readUnsignedBytes(from: zip, name: "z", dimensionCount: 1)
        }
        #expect(throws: DatasetError.badMagic(path: "b", found: [0x00, 0x01, 0x08, 0x01])) {
            try IDXReader.readUnsignedBytes(
                from: [0, 1, 8, 1, 0, 0, 0, 0], name: "b", dimensionCount: 1)
        }
    }

    @Test func unsupportedTypeCode() {
        let floats = idxBytes(typeCode: 0x0D, dimensions: [1], data: [0, 0, 0x80, 0x3F])
        let error = #expect(throws: DatasetError.self) {
            try IDXReader.readUnsignedBytes(from: floats, name: "f", dimensionCount: 1)
        }
        #expect(error == .unsupportedType(path: "f", typeCode: 0x0D))
        #expect(error?.description.contains("float32") == true)
    }

    @Test func wrongDimensionCount() {
        #expect(throws: DatasetError.wrongDimensionCount(path: "l", found: 1, expected: 3)) {
            try IDXReader.readUnsignedBytes(from: data.labelsFile, name: "l", dimensionCount: 3)
        }
        #expect(throws: DatasetError.self) {
            try IDXReader.readUnsignedBytes(from: data.labelsFile, name: "l", dimensionCount: 0)
        }
    }

    @Test func dimensionsOutOfRange() {
        let limit = IDXReader.defaultMaximumDataBytes
        let zero = idxBytes(dimensions: [0, 28, 28], data: [])
        #expect(
            throws: DatasetError.dimensionsOutOfRange(
                path: "z", dimensions: [0, 28, 28], maximumDataBytes: limit)
        ) {
            try IDXReader.readUnsignedBytes(from: zero, name: "z", dimensionCount: 3)
        }
        let huge: [UInt32] = [.max, .max, .max]
        #expect(
            throws: DatasetError.dimensionsOutOfRange(
                path: "h", dimensions: huge, maximumDataBytes: limit)
        ) {
            try IDXReader.readUnsignedBytes(
                from: idxBytes(dimensions: huge, data: []), name: "h", dimensionCount: 3)
        }
        #expect(
            throws: DatasetError.dimensionsOutOfRange(
                path: "s", dimensions: [5, 3, 4], maximumDataBytes: 59)
        ) {
            try IDXReader.readUnsignedBytes(
                from: data.imagesFile, name: "s", dimensionCount: 3, maximumDataBytes: 59)
        }
        #expect(throws: Never.self) {
            try IDXReader.readUnsignedBytes(
                from: data.imagesFile, name: "s", dimensionCount: 3, maximumDataBytes: 60)
        }
    }

    @Test func truncatedPlainFiles() {
        let file = data.imagesFile
        #expect(throws: DatasetError.truncated(path: "t", expectedBytes: 16, foundBytes: 3)) {
            try IDXReader.readUnsignedBytes(from: Array(file[..<3]), name: "t", dimensionCount: 3)
        }
        #expect(throws: DatasetError.truncated(path: "t", expectedBytes: 16, foundBytes: 9)) {
            try IDXReader.readUnsignedBytes(from: Array(file[..<9]), name: "t", dimensionCount: 3)
        }
        #expect(throws: DatasetError.truncated(path: "t", expectedBytes: 76, foundBytes: 75)) {
            try IDXReader.readUnsignedBytes(
                from: Array(file.dropLast()), name: "t", dimensionCount: 3)
        }
    }

    @Test func truncatedDataInsideAnIntactGzipStream() {
        let short = gzipped(Array(data.imagesFile.dropLast(10)))
        #expect(throws: DatasetError.truncated(path: "g", expectedBytes: 76, foundBytes: 66)) {
            try IDXReader.readUnsignedBytes(from: short, name: "g", dimensionCount: 3)
        }
    }

    @Test func headerThatClaimsFarMoreThanTheGzipHolds() {
        // 1 GiB declared, a few bytes present: refused as truncated, without inflating much.
        let liar = gzipped(idxBytes(dimensions: [1 << 30], data: [1, 2, 3]))
        #expect(
            throws: DatasetError.truncated(path: "g", expectedBytes: 8 + (1 << 30), foundBytes: 11)
        ) {
            try IDXReader.readUnsignedBytes(from: liar, name: "g", dimensionCount: 1)
        }
    }

    @Test func trailingData() {
        #expect(throws: DatasetError.trailingData(path: "p", expectedBytes: 13)) {
            try IDXReader.readUnsignedBytes(
                from: data.labelsFile + [0], name: "p", dimensionCount: 1)
        }
        #expect(throws: DatasetError.trailingData(path: "g", expectedBytes: 13)) {
            try IDXReader.readUnsignedBytes(
                from: gzipped(data.labelsFile + [9, 9]), name: "g", dimensionCount: 1)
        }
    }

    @Test func gzipBombStopsAfterTheDeclaredData() {
        // 16 MiB of zeros compress to about 16 KiB; only the declared 13 bytes + 1 are inflated.
        let bomb = gzipped(data.labelsFile + [UInt8](repeating: 0, count: 16 << 20), level: 9)
        #expect(bomb.count < 50_000)
        #expect(throws: DatasetError.trailingData(path: "bomb", expectedBytes: 13)) {
            try IDXReader.readUnsignedBytes(from: bomb, name: "bomb", dimensionCount: 1)
        }
    }

    @Test func corruptGzipStreams() {
        let compressed = gzipped(data.imagesFile)
        var flipped = compressed
        flipped[flipped.count / 2] ^= 0xFF
        var badChecksum = compressed
        badChecksum[badChecksum.count - 6] ^= 0x01
        let cases: [(String, [UInt8])] = [
            ("flipped", flipped),
            ("checksum", badChecksum),
            ("cut", Array(compressed.dropLast(3))),
            ("garbage after", compressed + [0x00, 0x42]),
            ("one byte after", compressed + [0x1F]),
            ("header only", Array(compressed[..<10])),
        ]
        for (name, bytes) in cases {
            let error = #expect(throws: DatasetError.self, "\(name)") {
                try IDXReader.readUnsignedBytes(from: bytes, name: name, dimensionCount: 3)
            }
            guard case .corruptGzip(let path, _) = error else {
                Issue.record("\(name): expected corruptGzip, got \(String(describing: error))")
                continue
            }
            #expect(path == name)
        }
    }

    @Test func everyMessageIsOneLineNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(data.imagesFile.dropLast()), to: "cut")
        let error = #expect(throws: DatasetError.self) {
            try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 3)
        }
        let message = try #require(error?.description)
        #expect(message.hasPrefix(path))
        #expect(!message.contains("\n"))
    }
}
