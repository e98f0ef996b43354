/// Writes the layout byte for byte as the reference library (`safetensors` 0.4–0.8) does,
/// so identical content gives identical files:
///
/// - tensors ordered by decreasing dtype alignment (``SafeTensors/DType/referenceRank``),
///   then by name compared as UTF-8 bytes, packed with no gaps;
/// - the header as compact JSON, `__metadata__` first, each tensor as
///   `{"dtype":…,"shape":[…],"data_offsets":[begin,end]}`, strings escaped as `serde_json`
///   does (`\"`, `\\`, `\b \f \n \r \t`, other controls as `\u00xx`, the rest as UTF-8);
/// - the header padded with spaces to a multiple of 8 bytes, so the buffer starts aligned.
///
/// The one freedom is the order of metadata keys, which the reference writer takes from a
/// hash map (it differs from run to run); ours sorts them by UTF-8 bytes.
enum SafeTensorsWriter {
    static func serialize(tensors: [String: SafeTensors.Tensor], metadata: [String: String])
        -> [UInt8]
    {
        let ordered = tensors.sorted { left, right in
            left.value.dtype.referenceRank != right.value.dtype.referenceRank
                ? left.value.dtype.referenceRank > right.value.dtype.referenceRank
                : left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }
        var header: [UInt8] = [UInt8(ascii: "{")]
        if !metadata.isEmpty {
            appendString("__metadata__", to: &header)
            header.append(contentsOf: ":{".utf8)
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { header.append(UInt8(ascii: ",")) }
                appendString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                appendString(metadata[key]!, to: &header)
            }
            header.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for (index, (name, tensor)) in ordered.enumerated() {
            if index > 0 || !metadata.isEmpty { header.append(UInt8(ascii: ",")) }
            appendString(name, to: &header)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            let entry = #":{"dtype":"\#(tensor.dtype.rawValue)","shape":[\#(shape)],"#
                + #""data_offsets":[\#(offset),\#(offset + tensor.byteCount)]}"#
            header.append(contentsOf: entry.utf8)
            offset += tensor.byteCount
        }
        header.append(UInt8(ascii: "}"))
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: header)
        for (_, tensor) in ordered {
            tensor.withUnsafeBytes { file.append(contentsOf: $0) }
        }
        return file
    }

    /// `text` as a JSON string, escaped as `serde_json` escapes it.
    private static func appendString(_ text: String, to header: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        header.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): header.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): header.append(contentsOf: #"\\"#.utf8)
            case 0x08: header.append(contentsOf: #"\b"#.utf8)
            case 0x0C: header.append(contentsOf: #"\f"#.utf8)
            case 0x0A: header.append(contentsOf: #"\n"#.utf8)
            case 0x0D: header.append(contentsOf: #"\r"#.utf8)
            case 0x09: header.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                header.append(contentsOf: #"\u00"#.utf8)
                header.append(hexDigits[Int(byte >> 4)])
                header.append(hexDigits[Int(byte & 0x0F)])
            default: header.append(byte)
            }
        }
        header.append(UInt8(ascii: "\""))
    }
}
