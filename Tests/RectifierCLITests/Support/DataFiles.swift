import Foundation

/// Small data files in the forms `--data` reads, written for a test into one temporary
/// directory (removed when released): CSV, NumPy `.npy`/`.npz` (stored zip) and PNG class
/// folders (stored deflate blocks), each encoded here from its specification.
final class DataFiles {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rectifier-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = self.file(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String { try write(Array(text.utf8), to: name) }

    /// Three well separated clusters in two features, `perClass` rows each, labelled
    /// `names`; a deterministic jitter within ±0.5 around centres 4 apart.
    static func clusters(perClass: Int, names: [String] = ["ant", "bee", "cat"], offset: Int = 0) -> [(x: [Float], label: String)] {
        var rows: [(x: [Float], label: String)] = []
        for index in 0..<perClass * names.count {
            let label = index % names.count
            let jitter = Float((index + offset) * 7919 % 101) / 100 - 0.5
            let other = Float((index + offset) * 104_729 % 97) / 96 - 0.5
            rows.append(([Float(4 * label) + jitter, Float(10 - 4 * label) + other], names[label]))
        }
        return rows
    }

    /// A CSV with a header `a,b,label` (or `names`) of `rows`.
    static func csv(_ rows: [(x: [Float], label: String)], header: [String] = ["a", "b", "label"]) -> String {
        ([header.joined(separator: ",")] + rows.map { row in (row.x.map { "\($0)" } + [row.label]).joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }
}

/// A NumPy `.npy` file (format 1.0) with descriptor `descr`, `shape` and raw `data`.
func npyBytes(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let length = UInt16(header.utf8.count)
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
}

/// Little-endian float32 as a `.npy`.
func npyFloats(_ values: [Float], shape: [Int]) -> [UInt8] {
    npyBytes(descr: "<f4", shape: shape, data: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
}

/// Strings as a `.npy` of `<U{width}` (UTF-32LE, zero-padded).
func npyStrings(_ values: [String]) -> [UInt8] {
    let width = values.map(\.unicodeScalars.count).max() ?? 1
    let data = values.flatMap { value in
        (value.unicodeScalars.map(\.value) + Array(repeating: 0, count: width - value.unicodeScalars.count))
            .flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
    }
    return npyBytes(descr: "<U\(width)", shape: [values.count], data: data)
}

/// CRC-32 (IEEE, reflected 0xEDB88320), bit by bit.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// A zip archive of stored entries (local headers, central directory, end record).
func storedZip(_ entries: [(name: String, bytes: [UInt8])]) -> [UInt8] {
    func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    var archive: [UInt8] = [], directory: [UInt8] = []
    for entry in entries {
        let name = Array(entry.name.utf8)
        let sizes = le(crc32(entry.bytes)) + le(UInt32(entry.bytes.count)) + le(UInt32(entry.bytes.count))
        directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0))
            + le(UInt32(0)) + sizes + le(UInt16(name.count)) + le(UInt32(0)) + le(UInt32(0)) + le(UInt32(0))
            + le(UInt32(archive.count)) + name
        archive += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0)) + sizes
            + le(UInt16(name.count)) + le(UInt16(0)) + name + entry.bytes
    }
    let count = le(UInt16(entries.count))
    return archive + directory + le(UInt32(0x0605_4B50)) + le(UInt32(0)) + count + count
        + le(UInt32(directory.count)) + le(UInt32(archive.count)) + le(UInt16(0))
}

/// An 8-bit greyscale PNG of `width × height` `pixels` (row-major), its data in one stored
/// deflate block inside a zlib stream.
func greyPNG(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
    func be(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }
    var raw: [UInt8] = []
    for row in 0..<height { raw += [0] + pixels[row * width..<(row + 1) * width] }
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    let length = UInt16(raw.count)
    let zlib: [UInt8] = [0x78, 0x01, 1, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        + raw + be(b << 16 | a)
    let header = be(UInt32(width)) + be(UInt32(height)) + [8, 0, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
}
