import Networks

#if canImport(Glibc)
import Glibc
#endif

/// What `evaluate` reports, by task.
enum EvaluationReport {
    case classification(ClassificationFigures)
    case regression(RegressionFigures)

    var json: String {
        switch self {
        case let .classification(figures): jsonLine(figures, snakeCase: true, escapingSlashes: false)
        case let .regression(figures): jsonLine(figures, snakeCase: true, escapingSlashes: false)
        }
    }

    var table: String {
        switch self {
        case let .classification(figures): return figures.table
        case let .regression(figures): return figures.table
        }
    }
}

/// A figure for JSON: null when it is undefined (nil) or NaN or ±∞, which JSON cannot hold.
struct Figure: Encodable {
    let value: Double?

    init(_ value: Double?) { self.value = value.flatMap { $0.isFinite ? $0 : nil } }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// Accuracy, mean softmax cross-entropy, confusion matrix and per-class precision, recall
/// and F1 (0 where undefined, as scikit-learn's `zero_division=0`), with their macro mean.
/// JSON keys: the names in snake_case; `classes` repeats `class_names`.
struct ClassificationFigures: Encodable {
    struct PerClass: Encodable {
        let `class`: String
        let precision: Double
        let recall: Double
        let f1: Double
        let support: Int
    }

    let model: String
    let testAccuracy: Double
    let loss: Figure
    /// `[true class][predicted class]` counts.
    let confusionMatrix: [[Int]]
    let classNames: [String]
    let classes: [String]
    let perClass: [PerClass]
    let macroF1: Double
    let testCount: Int

    /// The figures of `scores` (`n × K` logits) against `labels` (class indices below K).
    init(model: String, scores: Matrix<Float>, labels: [Int], classNames: [String]) {
        let classes = classNames.count
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var lossSum = 0.0
        for (row, label) in labels.enumerated() {
            let logits = scores.row(row)
            var best = 0, largest = -Double.infinity
            for (index, value) in logits.enumerated() where Double(value) > largest || index == 0 {
                (best, largest) = (index, Double(value))
            }
            // −log softmax(z)[label] = log Σ exp(z − max) − (z[label] − max).
            let sum = logits.reduce(0.0) { $0 + exp(Double($1) - largest) }
            lossSum += log(sum) - (Double(logits[logits.startIndex + label]) - largest)
            matrix[label][best] += 1
        }
        let count = labels.count
        let correct = (0..<classes).reduce(0) { $0 + matrix[$1][$1] }
        perClass = (0..<classes).map { index in
            let truePositives = Double(matrix[index][index])
            let predicted = Double((0..<classes).reduce(0) { $0 + matrix[$1][index] })
            let support = matrix[index].reduce(0, +)
            let precision = predicted > 0 ? truePositives / predicted : 0
            let recall = support > 0 ? truePositives / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return PerClass(class: classNames[index], precision: precision, recall: recall, f1: f1, support: support)
        }
        self.model = model
        testAccuracy = count == 0 ? 0 : Double(correct) / Double(count)
        loss = Figure(count == 0 ? nil : lossSum / Double(count))
        confusionMatrix = matrix
        (self.classNames, self.classes) = (classNames, classNames)
        macroF1 = classes == 0 ? 0 : perClass.reduce(0) { $0 + $1.f1 } / Double(classes)
        testCount = count
    }

    var table: String {
        let width = Swift.max(6, confusionMatrix.joined().map { String($0).count }.max() ?? 1)
        let nameWidth = Swift.max(16, (classNames.indices.map { "\($0) \(classNames[$0])".count }.max() ?? 1))
        func pad(_ text: String, _ count: Int) -> String { text.padded(to: count, alignedRight: true) }
        let correct = (0..<classNames.count).reduce(0) { $0 + confusionMatrix[$1][$1] }
        var lines = [
            "\(model): test accuracy \(decimal(testAccuracy, 4)) (\(correct) of \(testCount)), loss \(loss.value.map { decimal($0, 4) } ?? "not finite"), macro F1 \(decimal(macroF1, 4))",
            "",
        ]
        lines.append(pad("true \\ predicted", nameWidth) + (0..<classNames.count).map { pad(String($0), width + 1) }.joined())
        for (index, row) in confusionMatrix.enumerated() {
            lines.append(pad("\(index) \(classNames[index])", nameWidth) + row.map { pad(String($0), width + 1) }.joined())
        }
        lines.append("")
        lines.append(pad("class", nameWidth) + ["precision", "recall", "f1", "support"].map { pad($0, 10) }.joined())
        for (index, figures) in perClass.enumerated() {
            lines.append(
                pad("\(index) \(figures.class)", nameWidth)
                    + [decimal(figures.precision, 4), decimal(figures.recall, 4), decimal(figures.f1, 4), String(figures.support)]
                    .map { pad($0, 10) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}

/// Mean squared error, its root and the coefficient of determination R² = 1 − SS_res/SS_tot
/// (null when the targets are constant), computed in `Double`.
struct RegressionFigures: Encodable {
    let model: String
    let mse: Figure
    let rmse: Figure
    let r2: Figure
    let testCount: Int

    init(model: String, predictions: [Float], targets: [Float]) {
        let count = Double(Swift.max(targets.count, 1))
        let mean = targets.reduce(0.0) { $0 + Double($1) } / count
        var residual = 0.0, total = 0.0
        for (predicted, target) in zip(predictions, targets) {
            residual += (Double(predicted) - Double(target)) * (Double(predicted) - Double(target))
            total += (Double(target) - mean) * (Double(target) - mean)
        }
        self.model = model
        mse = Figure(residual / count)
        rmse = Figure((residual / count).squareRoot())
        r2 = Figure(total > 0 ? 1 - residual / total : nil)
        testCount = targets.count
    }

    var table: String {
        func text(_ figure: Figure) -> String { figure.value.map { decimal($0, 4) } ?? "undefined" }
        return "\(model): test MSE \(text(mse)), RMSE \(text(rmse)), R² \(text(r2)) on \(testCount) examples"
    }
}
