import Activations
import Networks
import Runtime
import Testing

@Suite struct ModelTests {
    static func model() throws -> Sequential<Double> {
        var generator = SeededGenerator(seed: 21)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 6, hiddenSizes: [8, 5], hiddenActivation: try HiddenActivation(parsing: "prelu"), outputSize: 3)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let slopes = try model.parameters.layout.parameter(named: "layers.1.slopes")
        generator.fillUniform(model.parameters.values(of: slopes), lower: -0.2, upper: 0.7)
        return model
    }

    @Test func floatDoubleConversion() throws {
        let double = try Self.model()
        let single = Sequential<Float>(converting: double)
        #expect(single.architecture == double.architecture)
        #expect(single.parameters.snapshot() == double.parameters.snapshot().map { Float($0) })
        let back = Sequential<Double>(converting: single)
        #expect(Sequential<Float>(converting: back).parameters.snapshot() == single.parameters.snapshot())
        var generator = SeededGenerator(seed: 22)
        let input = GradientCheck.randomMatrix(rows: 10, columns: 6, in: -1...1, &generator)
        let reference = try double.predict(input)
        let converted = try single.predict(Matrix<Float>(converting: input))
        for (a, b) in zip(reference.scalars, converted.scalars) {
            #expect(abs(a - Double(b)) <= 1e-5 * max(1, abs(a)))
        }
    }

    @Test func copyIsIndependent() throws {
        let model = try Self.model()
        let copy = model.copy()
        #expect(copy.parameters.snapshot() == model.parameters.snapshot())
        copy.parameters.values[0] += 1
        #expect(copy.parameters.snapshot() != model.parameters.snapshot())
    }

    @Test func predictionsAgreeAcrossChunksAndLayerOutputs() throws {
        let model = try Self.model()
        var generator = SeededGenerator(seed: 23)
        let input = GradientCheck.randomMatrix(rows: 2500, columns: 6, in: -1...1, &generator)
        // BLAS may round differently for different batch sizes: compare to a few ulps.
        func expectClose(_ a: Matrix<Double>, _ b: Matrix<Double>) {
            #expect(a.rows == b.rows && a.columns == b.columns)
            for (x, y) in zip(a.scalars, b.scalars) { #expect(abs(x - y) <= 1e-14 * max(1, abs(x))) }
        }
        let all = try model.predict(input)
        expectClose(all.rows(1500..<1510), try model.predict(input.rows(1500..<1510)))
        let layers = try model.layerOutputs(input.rows(0..<7))
        #expect(layers.count == 5)
        expectClose(layers.last!, all.rows(0..<7))
        #expect(layers[1].scalars == zip(layers[0].scalars, (0..<56).map { $0 % 8 }).map { x, unit in
            x < 0 ? (try! model.parameters.tensor(named: "layers.1.slopes"))[unit] * x : x
        })
        let classes = try model.predictClasses(input.rows(0..<7))
        for row in 0..<7 {
            let outputs = Array(all.row(row))
            #expect(classes[row] == outputs.firstIndex(of: outputs.max()!)!)
        }
    }

    @Test func shapeErrorsAreTyped() throws {
        let model = try Self.model()
        #expect(throws: NetworkError.self) { try model.predict(Matrix(rows: 2, columns: 5)) }
        #expect(throws: NetworkError.self) { try model.backward(outputGradient: Matrix(rows: 2, columns: 3)) }
        _ = try model.forward(Matrix(rows: 2, columns: 6))
        #expect(throws: NetworkError.self) { try model.backward(outputGradient: Matrix(rows: 3, columns: 3)) }
        #expect(throws: NetworkError.self) { try Matrix<Float>(rows: 2, columns: 2, scalars: [1, 2, 3]) }
        #expect(throws: NetworkError.self) { try Matrix<Float>([[1, 2], [3]]) }
        #expect(throws: NetworkError.self) { try model.parameters.setTensor(named: "layers.0.bias", to: [1]) }
        #expect(throws: NetworkError.self) { try model.parameters.tensor(named: "layers.9.weight") }
    }

    @Test func evaluationAndConfusionMatrixAgree() throws {
        let model = try Self.model()
        var generator = SeededGenerator(seed: 24)
        let features = GradientCheck.randomMatrix(rows: 300, columns: 6, in: -1...1, &generator)
        let labels = (0..<300).map { _ in generator.nextIndex(below: 3) }
        let data = try Dataset(features: features, labels: labels)
        let counts = try model.confusionMatrix(data)
        let predictions = try model.predictClasses(features)
        #expect(counts.count == 3 && counts.allSatisfy { $0.count == 3 })
        for label in 0..<3 {
            for predicted in 0..<3 {
                #expect(counts[label][predicted] == zip(labels, predictions).filter { $0 == (label, predicted) }.count)
            }
        }
        let (loss, accuracy) = try model.evaluate(data)
        #expect(accuracy == Double((0..<3).map { counts[$0][$0] }.reduce(0, +)) / 300)
        let expectedLoss = try Loss.softmaxCrossEntropy.evaluate(outputs: try model.predict(features), targets: .classes(labels)).value
        #expect(abs(loss - expectedLoss) <= 1e-12)
        let regression = try Dataset(features: features, targets: .values(Matrix(rows: 300, columns: 3)))
        #expect(throws: TrainingError.self) { try model.confusionMatrix(regression) }
        #expect(throws: TrainingError.self) { try model.evaluate(regression) }
    }
}
