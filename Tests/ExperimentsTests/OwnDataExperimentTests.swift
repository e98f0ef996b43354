import Activations
import Datasets
import Experiments
import Networks
import Foundation
import Testing

/// The experiments' `--data` in the forms `rectifier train` reads: a 3-class CSV of 5
/// features runs through the efficiency experiment; images-only experiments refuse flat data
/// in one line.
@Suite struct OwnDataExperimentTests {
    /// 3 classes × 30 rows of 5 features, each class around its own centre (the class in
    /// column 0 times 10, so standardised features still tell them apart).
    private func csv(in directory: String) throws -> String {
        var text = "f0,f1,f2,f3,f4,kind\n"
        for row in 0..<90 {
            let kind = row % 3
            let values = (0..<5).map { column in Double(kind * 10 + (row * 7 + column * 3) % 5) }
            text += values.map { String($0) }.joined(separator: ",") + ",\(["ant", "bee", "cat"][kind])\n"
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/three.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The precision and cost experiments' networks have one output per class of the data.
    @Test func precisionAndCostNetworksHaveTheDatasClasses() throws {
        let directory = SyntheticData.temporaryDirectory("own-data-classes")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = try ExperimentContext(outputDirectory: directory + "/out", seeds: 1, dataDirectory: try csv(in: directory))
        let data = try context.data(.init(training: 66, validation: 6))  // precision trains in batches of 64
        #expect(data.classCount == 3)
        #expect(try CostExperiment.network(.fixed(.relu), data: data).outputSize == 3)
        let (model, divergence) = try PrecisionExperiment.train("relu", seed: 0, on: data.training, epochs: 1)
        #expect(model.outputSize == 3 && divergence == nil)
        let predicted = try model.predictClasses(data.validation.features)
        #expect(predicted.allSatisfy { (0..<3).contains($0) })
    }

    @Test func aThreeClassCSVRunsThroughAnExperiment() throws {
        let directory = SyntheticData.temporaryDirectory("own-data")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try csv(in: directory)
        let context = try ExperimentContext(outputDirectory: directory + "/out", seeds: 1, dataDirectory: path)
        let plan = EfficiencyExperiment.Plan(
            sizes: .init(training: 6_000, validation: 2_000), budget: TrialBudget(hiddenSizes: [8], epochs: 2, batchSize: 128),
            targetError: 0.5, optimizers: [.adam(learningRate: 3e-3)], seeds: [0])
        let data = try EfficiencyExperiment.inputs(plan, context: context)
        // 90 rows: a stratified fifth (18) is the test part; of the 72 left a twelfth (6) is
        // held out for validation, 66 are learned from; 5 standardised features, labels 0…2.
        #expect(data.training.count == 66 && data.validation.count == 6)
        #expect(data.training.features.columns == 5 && Set(data.training.labels ?? []) == [0, 1, 2])
        #expect(data.description == "three.csv: 66 training, 6 validation examples")
        #expect(abs(data.chanceAccuracy - 1.0 / 3) < 1e-12)
        let column = (0..<66).map { Double(data.training.features[$0, 0]) }
        #expect(abs(column.reduce(0, +) / 66) < 0.2, "standardised on the training part")
        // Batches of 128, more than the 66 rows: one batch of the whole set.
        let results = try EfficiencyExperiment.run(context, configuration: plan, inputs: data).results
        #expect(results.trials.count == EfficiencyExperiment.activations.count)
        #expect(results.trials.allSatisfy { $0.validationAccuracies.count == 2 })

        // Flat examples are not images: one line naming what is needed.
        #expect {
            _ = try context.images()
        } throws: { error in
            let text = "\(error)"
            return text.contains("three.csv holds examples of shape [5]") && text.contains("needs grey images") && !text.contains("\n")
        }
        // An MNIST-format set (here images in memory) too small for the sizes is refused, as
        // the experiments were measured on the sizes they ask for.
        let pixels = [Float](repeating: 0.5, count: 6 * 4)
        let images = try LabeledImages(pixels: pixels, labels: [0, 1, 0, 1, 0, 1], rows: 2, columns: 2, classNames: ["a", "b"])
        let small = try ExperimentContext(
            outputDirectory: directory + "/out3", seeds: 1, images: ImageDataSet(training: images, test: images, directory: "tiny"))
        #expect {
            _ = try small.data(.init(training: 5, validation: 2))
        } throws: { error in
            "\(error)".contains("tiny holds 6 training and 6 test images; this experiment needs 5 + 2 and 0")
        }
        #expect(try small.data(.init(training: 4, validation: 2)).training.count == 4)
        let single = directory + "/single.csv"
        try "a,b\n1,x\n2,x\n".write(toFile: single, atomically: true, encoding: .utf8)
        let one = try ExperimentContext(outputDirectory: directory + "/out2", seeds: 1, dataDirectory: single)
        #expect {
            _ = try one.data(.init(training: 10, validation: 2))
        } throws: { error in
            "\(error)".contains("one class ('x')")
        }
    }
}
