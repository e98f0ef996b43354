import Datasets
import Networks

#if canImport(Glibc)
import Glibc
#endif

/// The text of `rectifier predict`: CSV or JSON lines with the columns `index`, `predicted`
/// and `p_<class>` per class (softmax of the scores, in `Double`, written as the nearest
/// `Float`'s shortest decimal), or `top1…topK` (the classes by score, highest first, the
/// lower index first on ties); a regression model's `predicted` is its output.
///
/// The text is built as bytes in one buffer reused from batch to batch, the class names
/// quoted or escaped once.
struct PredictionWriter {
    let task: DataReader.Task
    let topK: Int?
    let format: PredictCommand.Format
    /// The header line (CSV) or nothing (JSON lines).
    let header: [UInt8]
    /// The text of the last ``write(_:firstIndex:)``.
    private(set) var bytes: [UInt8] = []
    /// Each class name as a CSV field or a JSON string.
    private let classNames: [[UInt8]]
    /// Each column's `"name":` for JSON lines.
    private let keys: [[UInt8]]
    private var order: [Int] = []
    private var probabilities: [Double] = []

    init(model: ModelData, topK: Int?, format: PredictCommand.Format) {
        (task, self.topK, self.format) = (model.task, topK, format)
        var columns = ["index", "predicted"]
        if model.task == .classification {
            columns += topK.map { k in (1...k).map { "top\($0)" } } ?? model.classes.map { "p_\($0)" }
        }
        header = format == .csv ? Array((columns.map(Self.csvField).joined(separator: ",") + "\n").utf8) : []
        classNames = model.classes.map { Array((format == .csv ? Self.csvField($0) : Self.jsonString($0)).utf8) }
        keys = columns.map { Array((Self.jsonString($0) + ":").utf8) }
    }

    /// Replaces ``bytes`` with one line per row of `scores` (`n × outputs`), numbered from
    /// `firstIndex`.
    mutating func write(_ scores: Matrix<Float>, firstIndex: Int) {
        bytes.removeAll(keepingCapacity: true)
        scores.withUnsafeBufferPointer { values in
            for row in 0..<scores.rows {
                line(UnsafeBufferPointer(rebasing: values[row * scores.columns..<(row + 1) * scores.columns]), index: firstIndex + row)
            }
        }
    }

    private mutating func line(_ scores: UnsafeBufferPointer<Float>, index: Int) {
        var column = 0
        func field(_ append: (inout [UInt8]) -> Void) {
            if format == .jsonl {
                bytes.append(column == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
                bytes += keys[column]
            } else if column > 0 {
                bytes.append(UInt8(ascii: ","))
            }
            append(&bytes)
            column += 1
        }
        field { Self.appendInteger(index, to: &$0) }
        if task == .regression {
            field { appendNumber(scores[0], to: &$0) }
        } else if let topK {
            rank(scores, count: topK)
            field { $0 += classNames[order[0]] }
            for position in 0..<topK { field { $0 += classNames[order[position]] } }
        } else {
            let largest = Double(scores.max() ?? 0)
            probabilities.removeAll(keepingCapacity: true)
            for score in scores { probabilities.append(exp(Double(score) - largest)) }
            let sum = probabilities.reduce(0, +)
            var best = 0
            for (position, value) in probabilities.enumerated() where value > probabilities[best] { best = position }
            field { $0 += classNames[best] }
            for value in probabilities { field { appendNumber(Float(value / sum), to: &$0) } }
        }
        bytes += format == .jsonl ? [UInt8(ascii: "}"), UInt8(ascii: "\n")] : [UInt8(ascii: "\n")]
    }

    /// The `count` highest of `scores` into ``order`` (NaN lowest; the lower index first on
    /// ties), by `count` passes of selection.
    private mutating func rank(_ scores: UnsafeBufferPointer<Float>, count: Int) {
        order.removeAll(keepingCapacity: true)
        var previous = Float.infinity, previousIndex = -1
        for _ in 0..<count {
            // The best below (previous, previousIndex) in the order (score descending, index ascending).
            var best = -1, bestScore = -Float.infinity
            for index in scores.indices {
                let score = scores[index].isNaN ? -.infinity : scores[index]
                let below = score < previous || (score == previous && index > previousIndex)
                if below && (best < 0 || score > bestScore) { (best, bestScore) = (index, score) }
            }
            order.append(best)
            (previous, previousIndex) = (bestScore, best)
        }
    }

    /// The shortest decimal that reads back as `value`; `nan`, `inf`, `-inf` in CSV, `null` in JSON.
    private func appendNumber(_ value: Float, to bytes: inout [UInt8]) {
        if value.isFinite {
            bytes += value.description.utf8
        } else {
            bytes += (format == .jsonl ? "null" : value.isNaN ? "nan" : value < 0 ? "-inf" : "inf").utf8
        }
    }

    /// `value ≥ 0` in decimal.
    private static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = value, end = buffer.count
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            bytes += buffer[end...]
        }
    }

    /// `text` quoted when it holds a comma, quote or line break (quotes doubled), as RFC 4180.
    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : text
    }

    /// `text` as a JSON string.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
