import Interchange
import Testing

/// One test per layout rule: each broken file gives its own error, naming the file and the
/// tensor or field.
@Suite struct SafeTensorsValidationTests {
    let file = "test.safetensors"

    /// A valid one-tensor header with `entry` as the tensor's fields.
    func single(_ entry: String, buffer: Int = 8) -> [UInt8] {
        rawFile(header: #"{"w":{\#(entry)}}"#, buffer: [UInt8](repeating: 0, count: buffer))
    }

    @Test func lengthField() {
        #expect(readError([1, 2, 3]) == .fileTooShort(file: file, byteCount: 3))
        #expect(readError([]) == .fileTooShort(file: file, byteCount: 0))
        #expect(readError(rawFile(header: "{}", declaredLength: 100_000_001))
            == .headerTooLarge(file: file, headerLength: 100_000_001, limit: 100_000_000))
        #expect(readError(rawFile(header: "{}", declaredLength: .max))
            == .headerTooLarge(file: file, headerLength: .max, limit: 100_000_000))
        #expect(readError(rawFile(header: "{}", declaredLength: 3))
            == .headerBeyondFile(file: file, headerLength: 3, available: 2))
    }

    @Test func headerText() {
        #expect(readError(withUnsafeBytes(of: UInt64(2).littleEndian, Array.init) + [0xC3, 0x28])
            == .headerNotUTF8(file: file))
        #expect(readError(rawFile(header: "")) == .headerNotObject(file: file))
        #expect(readError(rawFile(header: "[1, 2]")) == .headerNotObject(file: file))
        #expect(readError(rawFile(header: #""text""#)) == .headerNotObject(file: file))
        #expect(readError(rawFile(header: "{")) == .malformedHeader(file: file, offset: 9, expected: "a string"))
        #expect(readError(rawFile(header: #"{"w" 1}"#))
            == .malformedHeader(file: file, offset: 13, expected: "':' after a key"))
        #expect(readError(rawFile(header: "{}\0")) == .malformedHeader(
            file: file, offset: 10, expected: "the end of the header after '}'"))
        #expect(readError(rawFile(header: #"{"a\x":{}}"#)) == .malformedHeader(
            file: file, offset: 12, expected: "a valid escape"))
        #expect(readError(rawFile(header: #"{"\ud800":{}}"#)) == .malformedHeader(
            file: file, offset: 16, expected: "a low surrogate escape"))
        #expect(readError(rawFile(header: "{\"a\tb\":{}}")) == .malformedHeader(
            file: file, offset: 11, expected: "an escape for a control character"))
        #expect(readError(rawFile(header: " \n{}\t  ")) == nil)
    }

    @Test func duplicateNames() {
        let entry = #"{"dtype":"U8","shape":[0],"data_offsets":[0,0]}"#
        #expect(readError(rawFile(header: #"{"w":\#(entry),"w":\#(entry)}"#))
            == .duplicateKey(file: file, object: "header", key: "w"))
        #expect(readError(rawFile(header: #"{"w":\#(entry),"\u0077":\#(entry)}"#))
            == .duplicateKey(file: file, object: "header", key: "w"))
        #expect(readError(rawFile(header: #"{"__metadata__":{},"__metadata__":{}}"#))
            == .duplicateKey(file: file, object: "header", key: "__metadata__"))
        #expect(readError(rawFile(header: #"{"__metadata__":{"k":"1","k":"2"}}"#))
            == .duplicateKey(file: file, object: "__metadata__", key: "k"))
        #expect(readError(single(#""dtype":"U8","dtype":"U8","shape":[8],"data_offsets":[0,8]"#))
            == .duplicateKey(file: file, object: "w", key: "dtype"))
    }

    @Test func fields() {
        #expect(readError(rawFile(header: #"{"w":[1]}"#)) == .invalidTensorEntry(file: file, tensor: "w"))
        #expect(readError(single(#""shape":[8],"data_offsets":[0,8]"#))
            == .missingField(file: file, tensor: "w", field: "dtype"))
        #expect(readError(single(#""dtype":"U8","data_offsets":[0,8]"#))
            == .missingField(file: file, tensor: "w", field: "shape"))
        #expect(readError(single(#""dtype":"U8","shape":[8]"#))
            == .missingField(file: file, tensor: "w", field: "data_offsets"))
        #expect(readError(single(#""dtype":"U8","shape":[8],"data_offsets":[0,8],"x":1"#))
            == .unexpectedField(file: file, tensor: "w", field: "x"))
        #expect(readError(single(#""dtype":8,"shape":[8],"data_offsets":[0,8]"#))
            == .invalidField(file: file, tensor: "w", field: "dtype", expected: #"a string such as "F32""#))
        #expect(readError(single(#""dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]"#))
            == .unsupportedDType(file: file, tensor: "w", dtype: "F8_E4M3"))
        #expect(readError(single(#""dtype":"f32","shape":[2],"data_offsets":[0,8]"#))
            == .unsupportedDType(file: file, tensor: "w", dtype: "f32"))
    }

    @Test(arguments: [
        #""shape":"8""#, #""shape":[-8]"#, #""shape":[8.0]"#, #""shape":[8e0]"#, #""shape":[[8]]"#,
        #""shape":[null]"#, #""shape":[99999999999999999999]"#, #""shape":{"a":8}"#,
    ])
    func shapeEntriesMustBeNonNegativeIntegers(shape: String) {
        #expect(readError(single(#""dtype":"U8",\#(shape),"data_offsets":[0,8]"#))
            == .invalidField(file: file, tensor: "w", field: "shape", expected: "an array of non-negative integers"))
    }

    @Test(arguments: [
        #""data_offsets":[0]"#, #""data_offsets":[0,8,8]"#, #""data_offsets":[-1,8]"#,
        #""data_offsets":"0,8""#, #""data_offsets":[0,8.5]"#, #""data_offsets":[]"#,
    ])
    func offsetsMustBeTwoNonNegativeIntegers(offsets: String) {
        #expect(readError(single(#""dtype":"U8","shape":[8],\#(offsets)"#))
            == .invalidField(file: file, tensor: "w", field: "data_offsets", expected: "[begin, end], two non-negative integers"))
    }

    @Test func sizesAndOffsets() {
        let huge = "9223372036854775807"
        #expect(readError(single(#""dtype":"U8","shape":[\#(huge),2],"data_offsets":[0,8]"#))
            == .sizeOverflow(file: file, tensor: "w", shape: [.max, 2]))
        #expect(readError(single(#""dtype":"F32","shape":[\#(huge)],"data_offsets":[0,8]"#))
            == .sizeOverflow(file: file, tensor: "w", shape: [.max]))
        #expect(readError(single(#""dtype":"U8","shape":[0,\#(huge),\#(huge)],"data_offsets":[0,0]"#, buffer: 0))
            == nil)
        #expect(readError(single(#""dtype":"U8","shape":[8],"data_offsets":[8,0]"#))
            == .reversedOffsets(file: file, tensor: "w", begin: 8, end: 0))
        #expect(readError(single(#""dtype":"U8","shape":[8],"data_offsets":[0,\#(huge)]"#))
            == .offsetsOutOfRange(file: file, tensor: "w", end: .max, bufferSize: 8))
        #expect(readError(single(#""dtype":"U8","shape":[9],"data_offsets":[0,9]"#))
            == .offsetsOutOfRange(file: file, tensor: "w", end: 9, bufferSize: 8))
        #expect(readError(single(#""dtype":"F32","shape":[3],"data_offsets":[0,8]"#))
            == .byteCountMismatch(file: file, tensor: "w", dtype: .float32, shape: [3], expected: 12, actual: 8))
    }

    @Test func coverage() {
        let a = #""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}"#
        let b = #""b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}"#
        let c = #""c":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}"#
        let empty = #""e":{"dtype":"U8","shape":[0],"data_offsets":[4,4]}"#
        let buffer = [UInt8](repeating: 0, count: 8)
        #expect(readError(rawFile(header: "{\(a),\(b),\(c)}", buffer: buffer))
            == .overlappingTensors(file: file, first: "a", second: "b"))
        #expect(readError(rawFile(header: "{\(a),\(c)}", buffer: buffer))
            == .gapBeforeTensor(file: file, tensor: "c", begin: 6, expectedBegin: 4))
        #expect(readError(rawFile(header: "{\(c)}", buffer: buffer))
            == .gapBeforeTensor(file: file, tensor: "c", begin: 6, expectedBegin: 0))
        #expect(readError(rawFile(header: "{\(a)}", buffer: buffer))
            == .trailingBytes(file: file, covered: 4, bufferSize: 8))
        #expect(readError(rawFile(header: "{}", buffer: [0]))
            == .trailingBytes(file: file, covered: 0, bufferSize: 1))
        let tail = #""t":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}"#
        #expect(readError(rawFile(header: "{\(tail),\(empty),\(a)}", buffer: buffer)) == nil)
    }

    @Test func metadata() {
        #expect(readError(rawFile(header: #"{"__metadata__":"pt"}"#)) == .invalidMetadata(file: file, key: nil))
        #expect(readError(rawFile(header: #"{"__metadata__":{"n":1}}"#)) == .invalidMetadata(file: file, key: "n"))
        #expect(readError(rawFile(header: #"{"__metadata__":nul}"#)) == .invalidMetadata(file: file, key: nil))
        #expect(readError(rawFile(header: #"{"__metadata__":null}"#)) == nil)
        #expect(readError(rawFile(header: #"{"__metadata__":{"n":null}}"#)) == .invalidMetadata(file: file, key: "n"))
        #expect(readError(rawFile(header: #"{"__metadata__":{"n":["a"]}}"#)) == .invalidMetadata(file: file, key: "n"))
        let read = try? SafeTensors(serialized: rawFile(header: #"{"__metadata__":{"a":"\u00e9\ud83d\ude00\/"}}"#))
        #expect(read?.metadata == ["a": "é😀/"])
    }

    @Test func messagesAreOneLineNamingTheFileAndTensor() {
        let error = readError(rawFile(header: "{\"w\\n2\":{\"dtype\":\"Q4\",\"shape\":[],\"data_offsets\":[0,0]}}"))
        let message = error?.description ?? ""
        #expect(message == "test.safetensors: tensor 'w\\n2': unsupported dtype 'Q4'; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL")
        let long = String(repeating: "x", count: 10_000)
        let longMessage = SafeTensorsError.missingTensor(file: "f", name: long).description
        #expect(longMessage.count < 200 && !longMessage.contains("\n"))
    }
}
