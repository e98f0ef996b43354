import Activations
import Networks
import Runtime
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The README's library example, compiled and run here; a second test checks that the
/// README shows exactly these lines, so the example cannot drift from the API.
@Suite struct ReadmeExampleTests {
    @Test func exampleRunsAndLearns() throws {
        // README-BEGIN
        // Values and derivatives, exact in Float and Double.
        let tiny = Activation.softplus.value(-100.0)           // 3.720075976020836e-44, not 0
        let slope = Activation.relu.derivative(Float(0))       // 0: the documented convention
        let leaky = try Activation.leakyReLU(negativeSlope: 0.01)

        // Vectorised kernels over arrays or buffers (large ones split across cores).
        let output = leaky.forward([-2, -0.5, 0, 1.5] as [Float])   // [-0.02, -0.005, 0, 1.5]

        // A 2-16-2 PReLU network learning XOR-like quadrants with Adam.
        var generator = SeededGenerator(seed: 0)
        let points = (0..<512).map { _ in [Float.random(in: -1...1, using: &generator),
                                           Float.random(in: -1...1, using: &generator)] }
        let labels = points.map { $0[0] * $0[1] > 0 ? 1 : 0 }
        let data = try Dataset(features: Matrix(points), labels: labels)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 2, hiddenSizes: [16], hiddenActivation: HiddenActivation(parsing: "prelu"),
            outputSize: 2)
        let model = Sequential<Float>(
            architecture: architecture, initialization: try Initialization(scheme: .heNormal),
            generator: &generator)
        let trainer = Trainer(
            model: model,
            configuration: try TrainingConfiguration(
                epochs: 200, batchSize: 32,
                optimizer: OptimizerConfiguration(kind: .adam, learningRate: 0.01)),
            generator: generator)
        try trainer.train(on: data)
        let accuracy = try model.evaluate(data).accuracy ?? 0     // about 0.98
        // README-END
        #expect(tiny > 3.7e-44 && tiny < 3.8e-44)
        #expect(slope == 0)
        #expect(output == [-0.02, -0.005, 0, 1.5])
        #expect(accuracy > 0.9)
    }

    @Test func readmeShowsThisExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md").path,
            encoding: .utf8)
        let body = try #require(Self.lines(between: "// README-BEGIN", and: "// README-END", in: testFile))
        let indentation = body.map { $0.prefix { $0 == " " }.count }.filter { $0 > 0 }.min() ?? 0
        let example = body.map { String($0.dropFirst(min(indentation, $0.prefix { $0 == " " }.count))) }
        let shown = try #require(Self.lines(between: "```swift", and: "```", in: readme))
        #expect(Array(shown.drop { !$0.hasPrefix("// Values") }) == example)
    }

    private static func lines(between start: String, and end: String, in text: String) -> [String]? {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = all.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == start }),
              let last = all[(first + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == end })
        else { return nil }
        return Array(all[(first + 1)..<last])
    }
}
