import Activations
import Foundation
import Networks
import Runtime
import Testing

/// Each loss: its gradient against finite differences, its value against the formula
/// written out independently here, and its conventions.
@Suite struct LossTests {
    /// Outputs in [−2, 2] and labels, kept at least 10⁻³ away from every hinge kink.
    static func batch(rows: Int, columns: Int, seed: UInt64) -> (Matrix<Double>, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let classes = columns == 1 ? 2 : columns
        while true {
            let outputs = GradientCheck.randomMatrix(rows: rows, columns: columns, in: -2...2, &generator)
            let labels = (0..<rows).map { _ in generator.nextIndex(below: classes) }
            // Binary kinks: |f| = 0 or 1; multi-class hinge kinks: f_j − f_label = −1.
            let nearKink = (0..<rows).contains { row in
                let values = Array(outputs.row(row))
                return values.contains { abs($0) < 1e-3 || abs(abs($0) - 1) < 1e-3 }
                    || (columns > 1 && values.contains { abs($0 - values[labels[row]] + 1) < 1e-3 })
            }
            if !nearKink { return (outputs, labels) }
        }
    }

    @Test(arguments: Loss.allCases, [1, 4])
    func gradientMatchesFiniteDifferences(loss: Loss, columns: Int) throws {
        if columns == 1 && (loss == .softmaxCrossEntropy || loss == .multiclassHinge) { return }
        let (outputs, labels) = Self.batch(rows: 5, columns: columns, seed: 10 + UInt64(columns))
        let targets = Targets<Double>.classes(labels)
        let evaluation = try loss.evaluate(outputs: outputs, targets: targets)
        let numeric = try GradientCheck.numericGradient(outputs.scalars) { point in
            try loss.evaluate(outputs: try Matrix(rows: 5, columns: columns, scalars: point), targets: targets).value
        }
        #expect(GradientCheck.relativeError(evaluation.gradient.scalars, numeric) <= 1e-6)
    }

    @Test func meanSquaredErrorOnValuesGradient() throws {
        var generator = SeededGenerator(seed: 20)
        let outputs = GradientCheck.randomMatrix(rows: 4, columns: 3, in: -2...2, &generator)
        let targets = Targets.values(GradientCheck.randomMatrix(rows: 4, columns: 3, in: -2...2, &generator))
        let evaluation = try Loss.meanSquaredError.evaluate(outputs: outputs, targets: targets)
        let numeric = try GradientCheck.numericGradient(outputs.scalars) { point in
            try Loss.meanSquaredError.evaluate(outputs: try Matrix(rows: 4, columns: 3, scalars: point), targets: targets).value
        }
        #expect(GradientCheck.relativeError(evaluation.gradient.scalars, numeric) <= 1e-6)
        #expect(evaluation.correct == nil)
    }

    @Test func valuesMatchTheFormulas() throws {
        let (outputs, labels) = Self.batch(rows: 6, columns: 3, seed: 30)
        let targets = Targets<Double>.classes(labels)
        func mean(_ perSample: (ArraySlice<Double>, Int) -> Double) -> Double {
            (0..<6).reduce(0) { $0 + perSample(outputs.row($1), labels[$1]) } / 6
        }
        func oneVsRest(_ f: @escaping (Double) -> Double) -> (ArraySlice<Double>, Int) -> Double {
            { row, label in row.indices.reduce(0) { $0 + f((($1 - row.startIndex) == label ? 1 : -1) * row[$1]) } }
        }
        let expected: [Loss: Double] = [
            .softmaxCrossEntropy: mean { row, label in log(row.map { exp($0) }.reduce(0, +)) - row[row.startIndex + label] },
            .logistic: mean(oneVsRest { log(1 + exp(-$0)) }),
            .hinge: mean(oneVsRest { max(0, 1 - $0) }),
            .squaredHinge: mean(oneVsRest { max(0, 1 - $0) * max(0, 1 - $0) }),
            .perceptron: mean(oneVsRest { max(0, -$0) }),
            .multiclassHinge: mean { row, label in
                row.indices.filter { $0 - row.startIndex != label }
                    .reduce(0) { $0 + max(0, 1 - row[row.startIndex + label] + row[$1]) } / 3
            },
            .meanSquaredError: mean { row, label in
                row.indices.reduce(0) { let t: Double = $1 - row.startIndex == label ? 1 : 0; return $0 + (row[$1] - t) * (row[$1] - t) } / 3
            },
        ]
        for loss in Loss.allCases {
            let value = try loss.evaluate(outputs: outputs, targets: targets).value
            #expect(abs(value - expected[loss]!) <= 1e-14 * max(1, expected[loss]!), "\(loss)")
        }
    }

    @Test func crossEntropyIsStableForHugeLogits() throws {
        let outputs = try Matrix<Float>([[1000, 0, -1000], [-1e30, 1e30, 0]])
        let evaluation = try Loss.softmaxCrossEntropy.evaluate(outputs: outputs, targets: .classes([0, 0]))
        // Sample 0 is right with certainty (loss 0); sample 1 is wrong by 2·10³⁰.
        #expect(evaluation.value == Double(Float(2e30)) / 2)
        #expect(evaluation.gradient.scalars.allSatisfy { $0.isFinite })
        #expect(evaluation.gradient == (try Matrix([[0, 0, 0], [-0.5, 0.5, 0]])))
        #expect(evaluation.correct == 1)
    }

    @Test func binaryLossesOnOneOutputUseSignedLabels() throws {
        // One output: class 1 ↔ y = +1, class 0 ↔ y = −1.
        let outputs = try Matrix<Double>([[0.5], [0.5]])
        let hinge = try Loss.hinge.evaluate(outputs: outputs, targets: .classes([1, 0]))
        #expect(hinge.value == (0.5 + 1.5) / 2)
        #expect(hinge.gradient.scalars == [-0.5, 0.5])
        #expect(hinge.correct == 1)
        let perceptron = try Loss.perceptron.evaluate(outputs: outputs, targets: .classes([1, 0]))
        #expect(perceptron.value == 0.25)
    }

    @Test func hingeGradientAtTheKinkIsZero() throws {
        // margin exactly 1: relu′(0) = 0, so a satisfied sample is left alone.
        let evaluation = try Loss.hinge.evaluate(outputs: try Matrix<Double>([[1]]), targets: .classes([1]))
        #expect(evaluation.value == 0)
        #expect(evaluation.gradient.scalars == [0])
    }

    @Test func logisticReusesSoftplusForLargeMargins() throws {
        // The logistic loss is the family's softplus(−m), linear beyond its threshold.
        let evaluation = try Loss.logistic.evaluate(outputs: try Matrix<Double>([[-100], [40]]), targets: .classes([1, 1]))
        #expect(evaluation.value == (Softplus().value(100.0) + Softplus().value(-40.0)) / 2)
    }

    @Test(arguments: [
        (Loss.softmaxCrossEntropy, 1, Targets<Double>.classes([0]), "needs at least 2 outputs"),
        (Loss.softmaxCrossEntropy, 3, Targets<Double>.classes([3]), "label 3 at sample 0 is outside 0..<3"),
        (Loss.hinge, 1, Targets<Double>.classes([2]), "outside 0..<2"),
        (Loss.hinge, 1, Targets<Double>.values(try! Matrix([[1.0]])), "needs class labels"),
        (Loss.meanSquaredError, 2, Targets<Double>.values(try! Matrix([[1.0]])), "have 1 columns"),
        (Loss.meanSquaredError, 1, Targets<Double>.values(try! Matrix([[Double.nan]])), "NaN"),
    ])
    func badTargetsAreTypedErrors(loss: Loss, outputs: Int, targets: Targets<Double>, message: String) {
        #expect {
            try loss.validate(targets: targets, outputCount: outputs)
        } throws: { error in
            let text = (error as? NetworkError)?.description ?? ""
            return text.contains(message) && !text.contains("\n")
        }
    }
}
