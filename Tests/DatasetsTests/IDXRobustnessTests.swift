import Datasets
import Runtime
import Testing

/// Garbage in, a typed error out: never a crash, a hang or an unbounded allocation.
@Suite struct IDXRobustnessTests {
    let data = SmallDataSet(count: 4, rows: 3, columns: 2, classCount: 2, seed: 3)

    @Test func plainFileTruncatedAtEveryLength() {
        let file = data.imagesFile
        for length in 0..<file.count {
            let error = #expect(throws: DatasetError.self) {
                try IDXReader.readUnsignedBytes(
                    from: Array(file[..<length]), name: "p", dimensionCount: 3)
            }
            if length == 0 {
                #expect(error == .emptyFile(path: "p"))
            } else {
                let expected = length < 16 ? 16 : file.count
                #expect(error == .truncated(path: "p", expectedBytes: expected, foundBytes: length))
            }
        }
    }

    @Test func gzipFileTruncatedAtEveryLength() {
        let compressed = gzipped(data.imagesFile)
        for length in 0..<compressed.count {
            let error = #expect(throws: DatasetError.self) {
                try IDXReader.readUnsignedBytes(
                    from: Array(compressed[..<length]), name: "g", dimensionCount: 3)
            }
            switch (length, error) {
            case (0, .emptyFile?), (1, .badMagic?): break
            case (2..., .corruptGzip?): break
            default: Issue.record("length \(length): unexpected \(String(describing: error))")
            }
        }
    }

    @Test func randomGarbageIsRefused() {
        var generator = SplitMix64(seed: 2024)
        for trial in 0..<2_000 {
            var bytes = (0..<generator.nextIndex(below: 80)).map { _ in
                UInt8(truncatingIfNeeded: generator.next())
            }
            // A quarter start like gzip and a quarter like IDX, to get past the first checks.
            switch trial % 4 {
            case 0 where bytes.count >= 2:
                bytes[0] = 0x1F
                bytes[1] = 0x8B
            case 1 where bytes.count >= 4:
                bytes[0] = 0
                bytes[1] = 0
                bytes[2] = 8
                bytes[3] = 3
            default: break
            }
            #expect(throws: DatasetError.self, "trial \(trial)") {
                try IDXReader.readUnsignedBytes(from: bytes, name: "garbage", dimensionCount: 3)
            }
        }
    }

    @Test func mutatedFilesNeverCrashAndAnyResultIsConsistent() {
        var generator = SplitMix64(seed: 77)
        let originals = [data.imagesFile, gzipped(data.imagesFile)]
        var refused = 0
        for trial in 0..<4_000 {
            var bytes = originals[trial % 2]
            for _ in 0...generator.nextIndex(below: 4) {
                mutate(&bytes, using: &generator)
            }
            do {
                let array = try IDXReader.readUnsignedBytes(
                    from: bytes, name: "mutant", dimensionCount: 3, maximumDataBytes: 1 << 20)
                #expect(array.dimensions.count == 3)
                #expect(array.elements.count == array.dimensions.reduce(1, *))
            } catch {
                #expect(error.description.hasPrefix("mutant"))
                refused += 1
            }
        }
        #expect(refused > 2_000 && refused < 4_000)
    }

    /// One random edit: flip a bit, overwrite a byte, insert, delete, cut, or write an
    /// extreme size into the header.
    private func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes.append(UInt8(truncatingIfNeeded: generator.next()))
            return
        }
        let position = generator.nextIndex(below: bytes.count)
        switch generator.nextIndex(below: 6) {
        case 0: bytes[position] ^= UInt8(1) << UInt8(generator.nextIndex(below: 8))
        case 1: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
        case 2: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
        case 3: bytes.remove(at: position)
        case 4: bytes.removeSubrange(position...)
        default:
            let extremes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF]
            for offset in 0..<4 where position + offset < bytes.count {
                bytes[position + offset] = extremes[generator.nextIndex(below: extremes.count)]
            }
        }
    }
}
