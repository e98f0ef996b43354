import Foundation
import Interchange
import Networks
import Runtime
import Testing

/// The byte layout, pinned against the reference library's own test vectors, and the
/// round trip of every dtype.
@Suite struct SafeTensorsFormatTests {
    /// The vectors of `test_serialization`, `test_serialization_forced_alignement` and
    /// `test_empty` in the reference library (safetensors/src/tensor.rs).
    @Test func matchesTheReferenceTestVectors() throws {
        let values: [Float] = [0, 1, 2, 3, 4, 5]
        let plain = SafeTensors(tensors: ["attn.0": try .init(values, shape: [1, 2, 3])])
        #expect(try plain.serialized() == rawFile(
            header: #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#,
            buffer: float32Bytes(values)))

        let padded = SafeTensors(tensors: ["attn0": try .init(values, shape: [1, 1, 2, 3])])
        #expect(try padded.serialized() == rawFile(
            header: #"{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}"#
                + String(repeating: " ", count: 7),
            buffer: float32Bytes(values)))

        #expect(try SafeTensors().serialized() == rawFile(header: "{}      "))
        #expect(try SafeTensors(metadata: ["framework": "pt"]).serialized()
            == rawFile(header: #"{"__metadata__":{"framework":"pt"}}     "#))
    }

    @Test func everyDTypeRoundTrips() throws {
        var content = SafeTensors(metadata: ["format": "pt", "note": "ünïcode ✓ \"quoted\"\n"])
        var generator = SeededGenerator(seed: 7)
        for dtype in SafeTensors.DType.allCases {
            let shape = [2, 3]
            let bytes = (0..<6 * dtype.byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
            content.tensors["t." + dtype.rawValue] = try .init(dtype: dtype, shape: shape, bytes: bytes)
        }
        content.tensors["scalar"] = try .init([Float(2.5)], shape: [])
        content.tensors["empty"] = try .init([Double](), shape: [0, 4])
        let read = try SafeTensors(serialized: content.serialized())
        #expect(read == content)
        #expect(try read.tensor(named: "scalar").floats() == [2.5])
        #expect(try read.tensor(named: "empty").shape == [0, 4])
        #expect(try read.serialized() == content.serialized())
    }

    /// Tensors in decreasing alignment, then by name; each starts at a multiple of its
    /// element size from the file's start. Checked with Foundation's JSON reader.
    @Test func tensorsAreOrderedAndAligned() throws {
        let content = SafeTensors(tensors: [
            "b": try .init([Int8(1)]), "a": try .init([Float(1), 2, 3]),
            "c": try .init([Double(1)]), "d": try .init([Float(1)], as: .float16),
            "e": try .init([Float(1)], as: .bfloat16), "f": try .init([Int32(7)]),
            "g": try .init([UInt8(9)]), "A": try .init([Float(4)]),
        ])
        let bytes = try content.serialized()
        let length = Int(bytes[0..<8].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        #expect(length % 8 == 0)
        let header = try #require(
            JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        let order = try header.keys.sorted {
            try offset(header, $0) < offset(header, $1)
        }
        #expect(order == ["c", "A", "a", "f", "e", "d", "b", "g"])
        for name in order {
            let dtype = try #require(SafeTensors.DType(rawValue: header[name].dtype))
            #expect((8 + length + (try offset(header, name))) % dtype.byteCount == 0)
        }
        let text = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(text.hasPrefix(#"{"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"A""#))
    }

    @Test func identicalContentGivesIdenticalBytes() throws {
        var forward = SafeTensors(metadata: ["z": "1", "a": "2", "é": "3", "e\u{301}x": "4"])
        var backward = SafeTensors(metadata: ["e\u{301}x": "4", "é": "3", "a": "2", "z": "1"])
        let names = (0..<40).map { "layer.\($0).weight" }
        for name in names {
            forward.tensors[name] = try .init([Float(name.count)])
        }
        for name in names.reversed() {
            backward.tensors[name] = try .init([Float(name.count)])
        }
        #expect(try forward.serialized() == backward.serialized())
    }

    @Test func stringsAreEscapedAsJSON() throws {
        let tricky = "q\"b\\s/\u{1}\u{1F}\t\n\r\u{8}\u{C}\u{7F}é😀"
        let content = SafeTensors(
            tensors: [tricky: try .init([UInt8(1)])], metadata: [tricky: tricky])
        let bytes = try content.serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""q\"b\\s/\u0001\u001f\t\n\r\b\f"#))
        let read = try SafeTensors(serialized: bytes)
        #expect(read.metadata[tricky] == tricky)
        #expect(read.tensors[tricky] != nil)
    }

    @Test func tensorConstructionIsChecked() throws {
        #expect(throws: SafeTensorsError.invalidShape(shape: [-1])) {
            try SafeTensors.Tensor(dtype: .uint8, shape: [-1], bytes: [])
        }
        #expect(throws: SafeTensorsError.invalidShape(shape: [Int.max, 2])) {
            try SafeTensors.Tensor(dtype: .uint8, shape: [Int.max, 2], bytes: [])
        }
        #expect(throws: SafeTensorsError.sizeMismatch(
            dtype: .float32, shape: [2, 2], expectedBytes: 16, actualBytes: 12)) {
            try SafeTensors.Tensor([Float](repeating: 0, count: 3), shape: [2, 2])
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(from: .int8, to: "[Float]")) {
            try SafeTensors.Tensor([Float(1)], as: .int8)
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(from: .uint8, to: "[Float]")) {
            try SafeTensors.Tensor([UInt8(1)]).floats()
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(from: .float32, to: "[Int32]")) {
            try SafeTensors.Tensor([Float(1)]).int32s()
        }
        let reserved = SafeTensors(tensors: ["__metadata__": try .init([UInt8(1)])])
        #expect(throws: SafeTensorsError.reservedName("__metadata__")) { try reserved.serialized() }
        #expect(throws: SafeTensorsError.missingTensor(file: "<memory>", name: "w")) {
            try SafeTensors().tensor(named: "w")
        }
    }

    @Test func valuesConvertExactly() throws {
        let doubles: [Double] = [0, -0.0, 1.5, -2.25e-310, .infinity, -.infinity, .pi]
        #expect(try SafeTensors.Tensor(doubles).doubles().map(\.bitPattern)
            == doubles.map(\.bitPattern))
        let floats: [Float] = [0, -0.0, 1.5, .leastNonzeroMagnitude, .infinity, .pi]
        #expect(try SafeTensors.Tensor(floats).floats().map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(try SafeTensors.Tensor(floats).doubles() == floats.map(Double.init))
        #expect(try SafeTensors.Tensor(floats, as: .float64).doubles() == floats.map(Double.init))
        #expect(try SafeTensors.Tensor(doubles, as: .float32).floats()
            == doubles.map(Float.init))
        let int8s: [Int8] = [-128, -1, 0, 1, 127]
        #expect(try SafeTensors.Tensor(int8s).int8s() == int8s)
        let int32s: [Int32] = [.min, -1, 0, 1, .max]
        #expect(try SafeTensors.Tensor(int32s).int32s() == int32s)
        #expect(try SafeTensors.Tensor(int32s).bytes.prefix(4) == [0, 0, 0, 0x80])
        let uint8s: [UInt8] = [0, 1, 255]
        #expect(try SafeTensors.Tensor(uint8s, shape: [3, 1]).uint8s() == uint8s)
        let nan = try SafeTensors.Tensor([Float.nan, -.nan], as: .float16).floats()
        #expect(nan[0].isNaN && nan[0].sign == .plus && nan[1].isNaN && nan[1].sign == .minus)
    }

    @Test func readsFilesAndRefusesOtherKinds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        let content = SafeTensors(tensors: ["w": try .init([Float(1), 2])], metadata: ["k": "v"])
        try content.write(to: path)
        let read = try SafeTensors(contentsOf: path)
        #expect(read == content)
        #expect(read.source == path)
        #expect(throws: SafeTensorsError.cannotOpen(file: directory.file("none"), errno: ENOENT)) {
            try SafeTensors(contentsOf: directory.file("none"))
        }
        #expect(throws: SafeTensorsError.notRegularFile(file: directory.path)) {
            try SafeTensors(contentsOf: directory.path)
        }
        #expect(throws: SafeTensorsError.notRegularFile(file: "/dev/zero")) {
            try SafeTensors(contentsOf: "/dev/zero")
        }
    }
}

private func offset(_ header: [String: Any], _ name: String) throws -> Int {
    let entry = try #require(header[name] as? [String: Any])
    let offsets = try #require(entry["data_offsets"] as? [Int])
    return offsets[0]
}

extension Optional where Wrapped == Any {
    fileprivate var dtype: String {
        ((self as? [String: Any])?["dtype"] as? String) ?? ""
    }
}
