import Runtime
import CDataKernels
import CZlib

/// The entries of a zip archive (what `numpy.savez` writes), read from its central directory.
///
/// Reads the end-of-central-directory record (searched for in the last 64 KiB + 22 bytes),
/// its ZIP64 form when a field is saturated, and each central entry's ZIP64 extra field.
/// Stored (method 0) and deflated (method 8) entries; encryption and other methods are
/// refused. Every offset and size is checked against the file before it is used.
struct ZipArchive {
    struct Entry {
        let name: String
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
    }

    let file: FileByteSource
    let fileSize: Int
    let entries: [Entry]

    init(path: String) throws(DatasetError) {
        let file = try FileByteSource(path: path)
        self.file = file
        guard let size = file.knownSize else { throw .unreadableFile(path: path, reason: "not a regular file") }
        fileSize = size
        let tailSize = min(size, 65_535 + 22)
        let tail = try Self.readBytes(file, at: size - tailSize, count: tailSize)
        guard let record = stride(from: tailSize - 22, through: 0, by: -1).first(where: { tail.u32($0) == 0x0605_4B50 })
        else { throw Self.bad(file, "no end-of-central-directory record; not a zip archive, or cut short") }
        var count = Int(tail.u16(record + 10))
        var directorySize = Int(tail.u32(record + 12))
        var directoryOffset = Int(tail.u32(record + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            guard record >= 20, tail.u32(record - 20) == 0x0706_4B50 else { throw Self.bad(file, "ZIP64 locator missing") }
            let recordOffset = try Self.int(file, tail.u64(record - 12), "ZIP64 record offset")
            guard recordOffset <= size - 56 else { throw Self.bad(file, "ZIP64 record offset \(recordOffset) is outside the file") }
            let zip64 = try Self.readBytes(file, at: recordOffset, count: 56)
            guard zip64.u32(0) == 0x0606_4B50 else { throw Self.bad(file, "ZIP64 end-of-central-directory record missing") }
            count = try Self.int(file, zip64.u64(32), "entry count")
            directorySize = try Self.int(file, zip64.u64(40), "central directory size")
            directoryOffset = try Self.int(file, zip64.u64(48), "central directory offset")
        }
        guard directoryOffset <= size, directorySize <= size - directoryOffset, count <= directorySize / 46 else {
            throw Self.bad(file, "the central directory (\(count) entries, \(directorySize) bytes at \(directoryOffset)) does not fit the file")
        }
        let directory = try Self.readBytes(file, at: directoryOffset, count: directorySize)
        var entries: [Entry] = []
        var position = 0
        for _ in 0..<count {
            guard position + 46 <= directory.count, directory.u32(position) == 0x0201_4B50 else {
                throw Self.bad(file, "central directory entry \(entries.count) is damaged")
            }
            let nameLength = Int(directory.u16(position + 28))
            let extraLength = Int(directory.u16(position + 30))
            let next = position + 46 + nameLength + extraLength + Int(directory.u16(position + 32))
            guard next <= directory.count else { throw Self.bad(file, "central directory entry \(entries.count) is cut short") }
            let name = String(decoding: directory[position + 46..<position + 46 + nameLength], as: UTF8.self)
            var fields = [UInt64(directory.u32(position + 24)), UInt64(directory.u32(position + 20)), UInt64(directory.u32(position + 42))]
            var extra = position + 46 + nameLength
            while extra + 4 <= position + 46 + nameLength + extraLength {
                let length = Int(directory.u16(extra + 2))
                if directory.u16(extra) == 1 {
                    var cursor = extra + 4
                    for index in fields.indices where fields[index] == 0xFFFF_FFFF && cursor + 8 <= extra + 4 + length {
                        fields[index] = directory.u64(cursor)
                        cursor += 8
                    }
                }
                extra += 4 + length
            }
            if directory.u16(position + 8) & 1 != 0 { throw Self.bad(file, "\(name) is encrypted") }
            entries.append(Entry(
                name: name, method: directory.u16(position + 10), crc: directory.u32(position + 16),
                compressedSize: try Self.int(file, fields[1], "\(name) size"), size: try Self.int(file, fields[0], "\(name) size"),
                localHeaderOffset: try Self.int(file, fields[2], "\(name) offset")))
            position = next
        }
        self.entries = entries
    }

    /// Where `entry`'s data starts, from its local header, checked to lie inside the file.
    func dataOffset(of entry: Entry) throws(DatasetError) -> Int {
        guard entry.localHeaderOffset <= fileSize - 30 else { throw Self.bad(file, "\(entry.name): local header outside the file") }
        let header = try Self.readBytes(file, at: entry.localHeaderOffset, count: 30)
        guard header.u32(0) == 0x0403_4B50 else { throw Self.bad(file, "\(entry.name): local header damaged") }
        let start = entry.localHeaderOffset + 30 + Int(header.u16(26)) + Int(header.u16(28))
        guard start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw Self.bad(file, "\(entry.name): \(entry.compressedSize) bytes of data do not fit in the file")
        }
        return start
    }

    private static func readBytes(_ file: FileByteSource, at offset: Int, count: Int) throws(DatasetError) -> [UInt8] {
        try requireMemory(count, for: "\(file.path): zip directory of \(count) bytes")
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withMutableBytes { buffer throws(DatasetError) in try file.read(at: offset, into: buffer) }
        return bytes
    }

    private static func int(_ file: FileByteSource, _ value: UInt64, _ what: String) throws(DatasetError) -> Int {
        guard value <= UInt64(Int.max) else { throw bad(file, "\(what) \(value) is too large") }
        return Int(value)
    }

    private static func bad(_ file: FileByteSource, _ reason: String) -> DatasetError {
        .badData(path: file.path, reason: reason)
    }
}

extension Array where Element == UInt8 {
    /// Little-endian integers at `offset` (bounds-checked by the array).
    func u16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    func u32(_ offset: Int) -> UInt32 { UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16 }
    func u64(_ offset: Int) -> UInt64 { UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32 }
}

/// zlib's CRC-32 of `bytes` continued from `crc`; the bulk by carry-less multiplication where
/// the CPU has it (about ten times zlib's table-driven loop).
func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
    var crc = crc
    var done = 0
    if foldAvailable, bytes.count >= 64 {
        done = bytes.count & ~15
        crc = crc32_fold_pclmul(crc, base, done)
    }
    return UInt32(crc32_z(UInt(crc), base + done, bytes.count - done))
}

private let foldAvailable = crc32_fold_available() != 0
