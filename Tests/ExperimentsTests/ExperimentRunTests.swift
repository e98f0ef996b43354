import Experiments
import Foundation
import Networks
import Runtime
import Testing

/// The experiments end to end on tiny synthetic data: files written, claims computed from
/// the numbers they hold.
@Suite(.serialized) struct ExperimentRunTests {
    private func envelope(_ directory: String, _ name: String) throws -> ExperimentEnvelope {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".json"))
        return try JSONDecoder().decode(ExperimentEnvelope.self, from: data)
    }

    @Test func efficiencyWritesItsDocumentFiguresAndConsistentVerdicts() throws {
        let directory = SyntheticData.temporaryDirectory("efficiency")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 2)
        let plan = EfficiencyExperiment.Plan(
            sizes: .init(training: 1, validation: 1), budget: TrialBudget(hiddenSizes: [16], epochs: 3, batchSize: 32),
            targetError: 0.5, optimizers: [.sgdMomentum(learningRate: 0.05), .adam(learningRate: 3e-3)])
        let results = try EfficiencyExperiment.run(context, plan: plan, data: try SyntheticData.make(count: 256))
        #expect(results.trials.count == EfficiencyExperiment.activations.count * 2 * 2)
        let document = try envelope(directory, "efficiency")
        #expect(document.claims.count == 4)
        #expect(document.claims.map(\.supported) == results.claims().map(\.supported))
        let claimSeven = try #require(document.claims.last)
        let ranks = results.optimizers.map { results.accuracyRank(of: "relu", optimizer: $0).rank }
        #expect(claimSeven.supported == ranks.allSatisfy { $0 <= 3 })
        let firstClaim = document.claims[0]
        #expect(firstClaim.supported == results.separates("relu", from: "tanh", optimizer: "sgd-momentum"))
        for figure in document.figures {
            let svg = try String(contentsOfFile: directory + "/" + figure.file, encoding: .utf8)
            #expect(svg.hasPrefix("<svg"))
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/efficiency-1.csv"))
    }

    @Test func costMeasuresEveryKernelAndProfilesTraining() throws {
        let directory = SyntheticData.temporaryDirectory("cost")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 1)
        let results = try CostExperiment.run(
            context, plan: CostExperiment.Plan(elements: 256, runs: 20, trainingSamples: 1),
            data: try SyntheticData.make(count: 256))
        #expect(results.kernelOperations == CostExperiment.kernelOperations)
        for operation in results.kernelOperations {
            #expect(results.nanoseconds(operation, "forward").mean > 0)
            #expect(results.nanoseconds(operation, "backward").mean > 0)
        }
        // The profiler belongs to the profiled training alone (tests training in parallel do
        // not add to it), and its timers do not overlap: the shares are parts of the epoch.
        #expect(!results.steps.isEmpty)
        for step in results.steps {
            #expect(step.activationShare > 0 && step.gemmShare > 0)
            #expect(step.gemmShare + step.activationShare <= 1)
            #expect(step.gemmSeconds + step.activationSeconds <= step.epochSeconds)
        }
        let document = try envelope(directory, "cost")
        #expect(document.claims.map(\.supported) == results.claims().map(\.supported))
        #expect(document.figures.map(\.file) == ["cost-shapes.svg", "cost-kernels.svg", "cost-training-share.svg"])
    }

    @Test func comparisonTrainsFiveActivationsAndTabulatesThem() throws {
        let directory = SyntheticData.temporaryDirectory("comparison")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 1)
        let (results, table) = try SideBySideComparison.run(
            context, data: try SyntheticData.make(count: 256), budget: TrialBudget(hiddenSizes: [16], epochs: 2, batchSize: 32))
        #expect(results.map(\.activation) == ["relu", "prelu", "softplus", "sigmoid", "tanh"])
        #expect(table.rows.count == 5)
        #expect(results.allSatisfy { $0.testAccuracy != nil })
        #expect(try envelope(directory, SideBySideComparison.name).tables == [table])
    }

    @Test func registryListsEachExperimentOnce() {
        let names = ExperimentRegistry.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("efficiency") && names.contains("cost"))
    }
}
