import Interchange
import Networks
import Runtime
import Testing

/// Seeded random mutations of valid files: the reader must either accept (and then the
/// content must survive a write and a re-read unchanged) or throw a one-line
/// ``SafeTensorsError``; never crash, hang or allocate beyond the input's size.
@Suite struct SafeTensorsFuzzTests {
    static let inputCount = 50_000

    @Test func mutatedFilesAreAcceptedWholeOrRefusedCleanly() throws {
        var generator = SeededGenerator(seed: 2_024)
        let seeds = try fuzzSeeds().map { try $0.serialized() }
        var accepted = 0
        var rejected = 0
        for _ in 0..<Self.inputCount {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                mutate(&bytes, using: &generator)
            }
            do {
                let content = try SafeTensors(serialized: bytes)
                accepted += 1
                #expect(try SafeTensors(serialized: content.serialized()) == content)
                for tensor in content.tensors.values where tensor.dtype.isFloatingPoint {
                    #expect(try tensor.doubles().count == tensor.elementCount)
                }
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty && !error.description.contains("\n"))
            }
        }
        // Both outcomes must be exercised, or the mutations test nothing.
        #expect(accepted > Self.inputCount / 100)
        #expect(rejected > Self.inputCount / 2)
    }
}

/// Small valid files covering every dtype, metadata, scalars and empty tensors.
func fuzzSeeds() throws -> [SafeTensors] {
    var all = SafeTensors(metadata: ["format": "pt", "é": "\"x\"\n"])
    for (index, dtype) in SafeTensors.DType.allCases.enumerated() {
        let bytes = (0..<(2 * dtype.byteCount)).map { UInt8(truncatingIfNeeded: $0 * 37 + index) }
        all.tensors["t\(index)"] = try .init(dtype: dtype, shape: [2, 1], bytes: bytes)
    }
    let shapes = SafeTensors(tensors: [
        "scalar": try .init([Float(1.5)], shape: []),
        "empty": try .init([Float](), shape: [0, 3], as: .bfloat16),
        "half": try .init([Float(-2), 65504, .infinity], as: .float16),
    ])
    return [all, shapes, SafeTensors(), SafeTensors(metadata: ["k": "v"])]
}

/// One random change: a bit flip, an interesting byte, a cut, a tail of garbage, a new
/// length field, or an edit of the header text (numbers, dtypes, tokens) with the length
/// field kept consistent so the parser gets past it.
func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
    let interestingBytes: [UInt8] = Array(#"0{}[]",:-9\u"#.utf8) + [0x00, 0x80, 0xC3, 0xFF, 0x20]
    switch Int.random(in: 0..<8, using: &generator) {
    case 0 where !bytes.isEmpty:
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
    case 1 where !bytes.isEmpty:
        bytes[Int.random(in: 0..<bytes.count, using: &generator)] = interestingBytes.randomElement(using: &generator)!
    case 2:
        bytes.removeLast(Int.random(in: 0...bytes.count, using: &generator))
    case 3:
        bytes += (0..<Int.random(in: 1...16, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    case 4 where bytes.count >= 8:
        let lengths: [UInt64] = [0, 1, 7, 8, .max, 1 << 63, 100_000_000, 100_000_001, UInt64(bytes.count)]
        let length = Bool.random(using: &generator)
            ? lengths.randomElement(using: &generator)! : UInt64.random(in: 0...4096, using: &generator)
        bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: length.littleEndian, Array.init))
    default:
        editHeader(&bytes, using: &generator)
    }
}

private func editHeader(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
    guard bytes.count >= 8 else { return }
    let declared = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard declared <= UInt64(bytes.count - 8) else { return }
    let length = Int(declared)
    var header = Array(bytes[8..<(8 + length)])
    let replacements = [
        "-1", "0", "18446744073709551616", "9223372036854775807", "4611686018427387904", "1e3",
        "1.5", "\"F8_E4M3\"", "\"F32\"", "\"BF16\"", "null", "[]", "[0,0]", "{}", "\"\\ud800\"",
        "\"__metadata__\"", "\"shape\"", "\"data_offsets\"", "\"x\"", ",", "",
        String(Int.random(in: 0...64, using: &generator)),
    ]
    let tokens = tokenRanges(header)
    guard let target = tokens.randomElement(using: &generator) else { return }
    switch Int.random(in: 0..<3, using: &generator) {
    case 0:
        header.replaceSubrange(target, with: replacements.randomElement(using: &generator)!.utf8)
    case 1:
        header.insert(contentsOf: header[target], at: target.lowerBound)
    default:
        header.removeSubrange(target)
    }
    bytes.replaceSubrange(0..<(8 + length), with: withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header)
}

/// The byte ranges of strings, numbers and single punctuation in a JSON text.
private func tokenRanges(_ text: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var index = 0
    while index < text.count {
        let start = index
        if text[index] == UInt8(ascii: "\"") {
            index += 1
            while index < text.count, text[index] != UInt8(ascii: "\"") {
                index += text[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index = min(index + 1, text.count)
        } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) {
            while index < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) { index += 1 }
        } else {
            index += 1
        }
        ranges.append(start..<index)
    }
    return ranges
}
