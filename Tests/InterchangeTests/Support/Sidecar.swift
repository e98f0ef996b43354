import Foundation
import Interchange

/// The JSON sidecar the Python harness reads and writes beside a file: its metadata and
/// each tensor's dtype, shape and values as strings (decimal floats as `Double`'s
/// shortest round-trip text, with `nan`, `inf`, `-0.0`; decimal integers).
struct Sidecar {
    struct Entry {
        var dtype: String
        var shape: [Int]
        var values: [String]
    }

    var metadata: [String: String]
    var tensors: [String: Entry]

    init(_ content: SafeTensors) throws {
        metadata = content.metadata
        tensors = try content.tensors.mapValues { tensor in
            Entry(dtype: tensor.dtype.rawValue, shape: tensor.shape, values: try valueStrings(tensor))
        }
    }

    init(contentsOf path: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let root = object as? [String: Any], let metadata = root["metadata"] as? [String: String],
            let tensors = root["tensors"] as? [String: [String: Any]]
        else { throw CocoaError(.fileReadCorruptFile) }
        self.metadata = metadata
        self.tensors = try tensors.mapValues { entry in
            guard let dtype = entry["dtype"] as? String, let shape = entry["shape"] as? [Int],
                let values = entry["values"] as? [String]
            else { throw CocoaError(.fileReadCorruptFile) }
            return Entry(dtype: dtype, shape: shape, values: values)
        }
    }

    func write(to path: String) throws {
        let object: [String: Any] = [
            "metadata": metadata,
            "tensors": tensors.mapValues { ["dtype": $0.dtype, "shape": $0.shape, "values": $0.values] },
        ]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// Where `content` differs from the sidecar, one line per tensor; empty when it agrees.
    func differences(from content: SafeTensors) throws -> [String] {
        var lines: [String] = []
        if content.metadata != metadata { lines.append("metadata \(content.metadata) ≠ \(metadata)") }
        if Set(content.tensors.keys) != Set(tensors.keys) {
            lines.append("names \(content.tensors.keys.sorted()) ≠ \(tensors.keys.sorted())")
        }
        for (name, entry) in tensors {
            guard let tensor = content.tensors[name] else { continue }
            guard tensor.dtype.rawValue == entry.dtype, tensor.shape == entry.shape else {
                lines.append("\(name): \(tensor.dtype) \(tensor.shape) ≠ \(entry.dtype) \(entry.shape)")
                continue
            }
            let actual = try valueStrings(tensor)
            let same = tensor.dtype.isFloatingPoint ? sameFloat : { $0 == $1 }
            if actual.count != entry.values.count || !zip(actual, entry.values).allSatisfy(same) {
                lines.append("\(name): values \(actual.prefix(8)) ≠ \(entry.values.prefix(8))")
            }
        }
        return lines
    }
}

private func sameFloat(_ a: String, _ b: String) -> Bool {
    guard let x = Double(a), let y = Double(b) else { return false }
    return x.isNaN || y.isNaN ? x.isNaN && y.isNaN : x.bitPattern == y.bitPattern
}

/// The values of any tensor as text: floats through the library's conversion, integers
/// decoded here from the little-endian bytes.
func valueStrings(_ tensor: SafeTensors.Tensor) throws -> [String] {
    if tensor.dtype.isFloatingPoint { return try tensor.doubles().map { "\($0)" } }
    let bytes = tensor.bytes
    let width = tensor.dtype.byteCount
    return stride(from: 0, to: bytes.count, by: width).map { start in
        let bits = bytes[start..<(start + width)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        switch tensor.dtype {
        case .int64: return "\(Int64(bitPattern: bits))"
        case .int32: return "\(Int32(truncatingIfNeeded: bits))"
        case .int16: return "\(Int16(truncatingIfNeeded: bits))"
        case .int8: return "\(Int8(truncatingIfNeeded: bits))"
        default: return "\(bits)"
        }
    }
}
