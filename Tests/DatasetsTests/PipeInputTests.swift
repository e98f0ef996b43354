import Datasets
import Foundation
import Testing

/// Input whose size is not known in advance and that arrives in small pieces: a named pipe
/// fed a few bytes per write.
@Suite struct PipeInputTests {
    let data = SmallDataSet(count: 7, rows: 3, columns: 5, classCount: 2, seed: 21)

    /// Reads `bytes` through a FIFO written in pieces of 1 to 3 bytes by another thread.
    private func readThroughPipe(_ bytes: [UInt8]) throws -> Result<IDXArray, DatasetError> {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let writer = DispatchQueue(label: "pipe writer")
        writer.async {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            var position = 0
            while position < bytes.count {
                let end = min(bytes.count, position + 1 + position % 3)
                handle.write(Data(bytes[position..<end]))
                position = end
            }
            try? handle.close()
        }
        defer { writer.sync {} }
        return Result { () throws(DatasetError) in
            try IDXReader.readUnsignedBytes(contentsOf: path, dimensionCount: 3)
        }
    }

    @Test func plainAndMultiMemberGzipArriveIntact() throws {
        let file = data.imagesFile
        let members = gzipped(Array(file[..<9])) + gzipped(Array(file[9...]))
        for bytes in [file, members] {
            let array = try readThroughPipe(bytes).get()
            #expect(array.dimensions == [7, 3, 5] && array.elements == data.images)
        }
    }

    @Test func truncationAndTrailingDataAreFoundWithoutKnowingTheSize() throws {
        let file = data.imagesFile
        let short = try readThroughPipe(Array(file.dropLast(4)))
        guard case .failure(.truncated(_, expectedBytes: 121, foundBytes: 117)) = short else {
            Issue.record("expected truncation, got \(short)")
            return
        }
        let long = try readThroughPipe(file + [1])
        guard case .failure(.trailingData(_, expectedBytes: 121)) = long else {
            Issue.record("expected trailing data, got \(long)")
            return
        }
    }
}
