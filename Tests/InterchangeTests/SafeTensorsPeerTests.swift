import Foundation
import Interchange
import Networks
import Runtime
import Testing

/// Interop with the reference Python library (`safetensors` from PyPI, with numpy and
/// ml_dtypes), run from the peer venv: files go both ways with identical values, and each
/// side writes the same bytes as the other for the same content.
@Suite(.serialized) struct SafeTensorsPeerTests {
    /// Every dtype, special values, a scalar, an empty tensor, one metadata key.
    static func swiftContent(withBFloat16: Bool) throws -> SafeTensors {
        let specials: [Double] = [0, -0.0, 1, -1.5, .infinity, -.infinity, .nan, 65504, 1e-7, 3e38, 5e-324]
        var content = SafeTensors(metadata: ["format": "pt ✓ \"q\"\n"])
        content.tensors = [
            "w.f64": try .init(specials + [.pi], shape: [2, 6]),
            "w.f32": try .init(specials, as: .float32),
            "w.f16": try .init(specials.map(Float.init) + [0.1], as: .float16),
            "counts.i32": try .init([Int32.min, -1, 0, .max], shape: [2, 2]),
            "q.i8": try .init((-128...127).map { Int8($0) }, shape: [16, 16]),
            "pixels.u8": try .init((0...255).map { UInt8($0) }),
            "big.i64": try .init(dtype: .int64, shape: [2], bytes: [0, 0, 0, 0, 0, 0, 0, 0x80] + [UInt8](repeating: 0xFF, count: 8)),
            "u64": try .init(dtype: .uint64, shape: [1], bytes: [UInt8](repeating: 0xFF, count: 8)),
            "u32": try .init(dtype: .uint32, shape: [1], bytes: [1, 2, 3, 4]),
            "i16": try .init(dtype: .int16, shape: [2], bytes: [0, 0x80, 0xFF, 0x7F]),
            "u16": try .init(dtype: .uint16, shape: [1], bytes: [0xFF, 0xFF]),
            "mask": try .init(dtype: .bool, shape: [3], bytes: [1, 0, 1]),
            "scalar": try .init([Float(2.5)], shape: []),
            "empty": try .init([Float](), shape: [0, 5], as: .float16),
        ]
        if withBFloat16 {
            content.tensors["w.bf16"] = try .init(specials.map(Float.init) + [0.1], shape: [3, 4], as: .bfloat16)
            content.tensors["empty.bf16"] = try .init([Double](), shape: [3, 0], as: .bfloat16)
        }
        return content
    }

    @Test func filesWrittenHereLoadInPythonAndMatchItsBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [(String, SafeTensors)] = [
            ("numpy", try Self.swiftContent(withBFloat16: false)),
            ("all-dtypes", try Self.swiftContent(withBFloat16: true)),
            ("metadata", SafeTensors(tensors: ["x": try .init([Float(1), 2])], metadata: ["framework": "pt", "epoch": "3", "é": ""])),
            ("nothing", SafeTensors()),
        ]
        for (name, content) in cases {
            let path = directory.file(name + ".safetensors")
            try content.write(to: path)
            try Sidecar(content).write(to: path + ".json")
            let output = try PeerPython.run(["check", path, path + ".json"])
            #expect(output.hasPrefix("ok:"), "\(output)")
        }
    }

    @Test func filesWrittenByPythonLoadHereAndMatchOurBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try PeerPython.run(["write-fixtures", directory.path])
        for name in ["numpy", "bf16", "metadata"] {
            let path = directory.file(name + ".safetensors")
            let content = try SafeTensors(contentsOf: path)
            #expect(try Sidecar(contentsOf: path + ".json").differences(from: content) == [], "\(name)")
            let written = try content.serialized()
            let original = try readBytes(path)
            if content.metadata.count <= 1 {
                let identical = written == original
                #expect(identical, "\(name): our \(written.count) bytes differ from the Python library's \(original.count)")
            } else {
                // The reference writer orders metadata keys by hash: only that order may differ.
                #expect(written.count == original.count)
                #expect(try SafeTensors(serialized: written) == content)
            }
        }
        #expect(try SafeTensors(contentsOf: directory.file("numpy.safetensors")).tensors.count == 14)
    }

    /// F16 from numpy and BF16 from ml_dtypes, rounded from the same F32/F64 sources
    /// (ties, near-ties, overflow, subnormals, NaN, ±∞): our rounding gives the same bits.
    @Test func roundingAgreesWithNumpyAndMLDtypes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try PeerPython.run(["write-fixtures", directory.path])
        let rounding = try SafeTensors(contentsOf: directory.file("rounding.safetensors"))
        let floats = try rounding.tensor(named: "source.f32").floats()
        let doubles = try rounding.tensor(named: "source.f64").doubles()
        #expect(floats.count > 10_000)
        #expect(try SafeTensors.Tensor(floats, as: .float16).bytes == rounding.tensor(named: "f16.of.f32").bytes)
        #expect(try SafeTensors.Tensor(floats, as: .bfloat16).bytes == rounding.tensor(named: "bf16.of.f32").bytes)
        #expect(try SafeTensors.Tensor(doubles, as: .float16).bytes == rounding.tensor(named: "f16.of.f64").bytes)
    }

    /// Mutated files through both readers: whatever we accept, the reference accepts with
    /// the same content; we refuse more only where we are stricter by design.
    @Test func readerAgreesWithTheReferenceReader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SeededGenerator(seed: 99)
        let seeds = try fuzzSeeds().map { try $0.serialized() }
        let count = 3_000
        for index in 0..<count {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...2, using: &generator) { mutate(&bytes, using: &generator) }
            try writeBytes(bytes, to: directory.file(String(format: "%05d.bin", index)))
        }
        for (index, header) in Self.stricterCases.enumerated() {
            try writeBytes(rawFile(header: header, buffer: [7]), to: directory.file(String(format: "%05d.bin", count + index)))
        }
        try PeerPython.run(["reserialize", directory.path])
        var agreements = 0
        var stricter = 0
        for index in 0..<(count + Self.stricterCases.count) {
            let path = directory.file(String(format: "%05d.bin", index))
            let referencePath = path + ".py"
            let referenceAccepted = FileManager.default.fileExists(atPath: referencePath)
            do {
                let ours = try SafeTensors(contentsOf: path)
                guard referenceAccepted else {
                    let reason = (try? String(contentsOfFile: path + ".error", encoding: .utf8)) ?? ""
                    Issue.record("\(path): we accept a file the reference refuses (\(reason))")
                    continue
                }
                #expect(try SafeTensors(contentsOf: referencePath) == ours, "\(path)")
                agreements += 1
            } catch {
                if !referenceAccepted {
                    agreements += 1
                } else if Self.stricterByDesign(error) {
                    stricter += 1
                } else if !Self.stricterByDesign(error) {
                    Issue.record("\(path): the reference accepts a file we refuse: \(error)")
                }
            }
        }
        #expect(agreements > count * 9 / 10)
        #expect(stricter >= Self.stricterCases.count)
    }

    /// Files the reference reads and we refuse, one per kind of strictness.
    static let stricterCases = [
        #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":1}}"#,
        #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
        #"{"__metadata__":{"k":"1","k":"2"},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
        #"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#,
    ]

    /// Where this reader refuses what the reference takes: fields it ignores, duplicate
    /// tensor names and metadata keys (its JSON maps keep the last), and dtypes we do not
    /// support (F8, F4, F6, C64).
    static func stricterByDesign(_ error: SafeTensorsError) -> Bool {
        switch error {
        case .unexpectedField, .duplicateKey, .unsupportedDType: true
        default: false
        }
    }
}
