import Networks
import Runtime

/// Small synthetic problems for the trainer tests.
enum TrainingData {
    /// XOR of the signs of two coordinates: four blobs around (±1, ±1), spread `noise`.
    static func xor(count: Int, seed: UInt64, noise: Double = 0.25) -> Dataset<Double> {
        var generator = SeededGenerator(seed: seed)
        var labels: [Int] = []
        let features = Matrix<Double>(rows: count, columns: 2) { buffer in
            for row in 0..<count {
                let (x, y) = (generator.nextIndex(below: 2), generator.nextIndex(below: 2))
                buffer[2 * row] = Double(2 * x - 1) + noise * generator.nextNormal()
                buffer[2 * row + 1] = Double(2 * y - 1) + noise * generator.nextNormal()
                labels.append(x ^ y)
            }
        }
        return try! Dataset(features: features, labels: labels)
    }

    /// `classes` Gaussian blobs in `dimensions` dimensions, centres drawn in [−2, 2].
    static func blobs(count: Int, dimensions: Int, classes: Int, seed: UInt64) -> Dataset<Double> {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<classes * dimensions).map { _ in 4 * generator.nextDouble() - 2 }
        var labels: [Int] = []
        let features = Matrix<Double>(rows: count, columns: dimensions) { buffer in
            for row in 0..<count {
                let label = row % classes
                labels.append(label)
                for column in 0..<dimensions {
                    buffer[row * dimensions + column] = centres[label * dimensions + column] + 0.5 * generator.nextNormal()
                }
            }
        }
        return try! Dataset(features: features, labels: labels)
    }

    static func model(
        _ data: Dataset<Double>, hidden: [Int], activation: String, outputs: Int, seed: UInt64
    ) throws -> (Sequential<Double>, SeededGenerator) {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: data.featureCount, hiddenSizes: hidden,
            hiddenActivation: try HiddenActivation(parsing: activation), outputSize: outputs)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        return (model, generator)
    }

    static func configuration(
        epochs: Int, batchSize: Int = 32, kind: OptimizerKind = .adam, learningRate: Double = 0.01,
        loss: Loss = .softmaxCrossEntropy, checkpointEvery: Int? = nil, divergence: DivergencePolicy = .stop
    ) throws -> TrainingConfiguration {
        try TrainingConfiguration(
            epochs: epochs, batchSize: batchSize,
            optimizer: try OptimizerConfiguration(kind: kind, learningRate: learningRate),
            loss: loss, checkpointEvery: checkpointEvery, divergence: divergence, probeSize: 100)
    }
}
