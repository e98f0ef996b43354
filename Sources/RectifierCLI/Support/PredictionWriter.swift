import Networks

#if canImport(Glibc)
import Glibc
#endif

/// The text of `rectifier predict`: CSV or JSON lines with the columns `index`, `predicted`
/// and `p_<class>` per class (softmax of the scores, in `Double`, written as the nearest
/// `Float`'s shortest decimal), or `top1…topK`; a regression model's `predicted` is its
/// output.
struct PredictionWriter {
    let model: ModelData
    let topK: Int?
    let format: PredictCommand.Format

    private var columns: [String] {
        guard model.task == .classification else { return ["index", "predicted"] }
        if let topK { return ["index", "predicted"] + (1...topK).map { "top\($0)" } }
        return ["index", "predicted"] + model.classes.map { "p_\($0)" }
    }

    var header: String {
        format == .csv ? columns.map(Self.csvField).joined(separator: ",") + "\n" : ""
    }

    /// One line per row of `scores` (`n × outputs`), numbered from `firstIndex`.
    func rows(_ scores: Matrix<Float>, firstIndex: Int) -> String {
        var text = ""
        let columns = self.columns
        for row in 0..<scores.rows {
            let values = scores.row(row)
            var fields: [Field] = [.number(String(firstIndex + row))]
            if model.task == .regression {
                fields.append(.number(Self.number(values[values.startIndex])))
            } else {
                let probabilities = Self.softmax(Array(values))
                let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
                fields.append(.text(model.classes[order[0]]))
                if let topK {
                    fields += order.prefix(topK).map { .text(model.classes[$0]) }
                } else {
                    fields += probabilities.map { .number(Self.number(Float($0))) }
                }
            }
            switch format {
            case .csv:
                text += fields.map { field in
                    switch field {
                    case let .number(value): return value
                    case let .text(value): return Self.csvField(value)
                    }
                }.joined(separator: ",") + "\n"
            case .jsonl:
                text += "{" + zip(columns, fields).map { name, field in
                    switch field {
                    case let .number(value): return Self.jsonString(name) + ":" + (value == "nan" || value.hasSuffix("inf") ? "null" : value)
                    case let .text(value): return Self.jsonString(name) + ":" + Self.jsonString(value)
                    }
                }.joined(separator: ",") + "}\n"
            }
        }
        return text
    }

    private enum Field {
        case number(String)
        case text(String)
    }

    /// exp(z − max) / Σ exp(z − max), in `Double`.
    static func softmax(_ scores: [Float]) -> [Double] {
        let largest = Double(scores.max() ?? 0)
        let exponentials = scores.map { exp(Double($0) - largest) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }

    /// The shortest decimal that reads back as `value` (`nan`, `inf`, `-inf` for the rest).
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : value.isNaN ? "nan" : value < 0 ? "-inf" : "inf"
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
