import Experiments
import Networks
import Runtime
import Testing

@Suite struct PrecisionComparisonTests {
    /// A 32-64-3 ReLU model trained on three Gaussian blobs (features in [0, 1]).
    static func trainedToyModel() throws -> (Sequential<Float>, Dataset<Float>) {
        var generator = SeededGenerator(seed: 4)
        let centres = (0..<3).map { _ in (0..<32).map { _ in 0.2 + 0.6 * generator.nextDouble() } }
        var scalars: [Float] = [], labels: [Int] = []
        for _ in 0..<900 {
            let label = generator.nextIndex(below: 3)
            labels.append(label)
            scalars += centres[label].map { Float(min(max($0 + 0.12 * generator.nextNormal(), 0), 1)) }
        }
        let data = try Dataset(features: try Matrix(rows: 900, columns: 32, scalars: scalars), labels: labels)
        let model = Sequential<Float>(
            architecture: try .multilayerPerceptron(
                inputSize: 32, hiddenSizes: [64], hiddenActivation: .fixed(.relu), outputSize: 3),
            initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: 10, batchSize: 30, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.01))
        try Trainer(model: model, configuration: configuration, generator: generator).train(on: data)
        return (model, data)
    }

    @Test func theThreeNumberTypesOfOneModel() throws {
        let (model, data) = try Self.trainedToyModel()
        let comparison = try PrecisionComparison(
            model: model, calibration: data.features.rows(0..<300), test: data, timingSeconds: nil)
        let float64 = comparison[.float64], float32 = comparison[.float32], int8 = comparison[.int8]
        #expect(float64.agreementWithFloat64 == 1)
        #expect(float32.agreementWithFloat64 >= 0.99)
        #expect(int8.agreementWithFloat64 >= 0.97)
        #expect(float64.testAccuracy > 0.9)
        #expect(abs(int8.testAccuracy - float32.testAccuracy) <= 0.03)
        #expect(float64.modelBytes > float32.modelBytes && float32.modelBytes > 2 * int8.modelBytes)
        #expect(int8.samplesPerSecond == nil && int8.samplesPerSecondBatch1 == nil)
    }

    @Test func timedComparisonsReportPositiveSpeeds() throws {
        let (model, data) = try Self.trainedToyModel()
        let comparison = try PrecisionComparison(
            model: model, calibration: data.features.rows(0..<300), test: data, timingSeconds: 0.001)
        for measurement in comparison.measurements {
            #expect((measurement.samplesPerSecond ?? 0) > 0, "\(measurement.type)")
            #expect((measurement.samplesPerSecondBatch1 ?? 0) > 0, "\(measurement.type)")
        }
    }
}
