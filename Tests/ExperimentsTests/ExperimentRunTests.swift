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
        return try ExperimentJSON.decoder().decode(ExperimentEnvelope.self, from: data)
    }

    @Test func efficiencyWritesItsDocumentFiguresAndConsistentVerdicts() throws {
        let directory = SyntheticData.temporaryDirectory("efficiency")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 3)
        let data = try SyntheticData.make(count: 256)
        let optimizers: [NamedOptimizer] = [.sgdMomentum(learningRate: 0.05), .adam(learningRate: 3e-3)]
        let tuned = TunedRates(rates: optimizers.flatMap { optimizer in
            EfficiencyExperiment.leaderboard.map {
                TunedRate(
                    activation: $0.description, optimizer: optimizer.name, tunedLearningRate: 0.01,
                    sharedLearningRate: optimizer.configuration.learningRate, grid: [0.01], validationAccuracies: [0.5])
            }
        })
        let plan = EfficiencyExperiment.Plan(
            sizes: .init(training: 1, validation: 1), budget: TrialBudget(hiddenSizes: [16], epochs: 5, batchSize: 32),
            targetError: 0.5, optimizers: optimizers, seeds: [0, 1], tuned: tuned)
        let written = try EfficiencyExperiment.run(context, configuration: plan, inputs: data)
        let results = written.results
        #expect(results.trials.count == (EfficiencyExperiment.activations.count + EfficiencyExperiment.leaderboard.count) * 2 * 2)
        #expect(results.trials.filter { $0.optimizer == "adam-tuned" }.count == EfficiencyExperiment.leaderboard.count * 2)
        let document = try envelope(directory, "efficiency")
        // Claim 1 at 4 readings (2 optimisers × shared, tuned), wall time at 2, claim 7 at 4.
        #expect(document.claims.count == 10)
        #expect(document.claims == written.claims, "the file holds the claims computed")
        #expect(document.claims.contains { $0.claim.contains("tuned rates: relu 0.01, tanh 0.01") })
        #expect(document.claims.contains { $0.claim.contains("shared rate 0.05") })
        // The epochs rule restated from the raw records, at the shared SGD rate.
        func epochs(_ activation: String) -> SeedStatistics {
            SeedStatistics(results.trials.filter { $0.activation == activation && $0.optimizer == "sgd-momentum" }
                .map { $0.diverged ? 5 : $0.epochsToReach(trainError: 0.5) ?? 5 })
        }
        let restated: Verdict = Verdict.exceeds(epochs("relu"), epochs("tanh"), by: .relative(0.1), lowerIsBetter: true)
        #expect(document.claims[0].verdict == restated)
        for claim in document.claims where claim.claim.hasPrefix("Claim 7") {
            #expect(claim.measured.contains("of 12") || claim.measured.contains("of 6"))
            #expect(claim.supported == claim.measured.contains("within"))
        }
        for figure in document.figures {
            let svg = try String(contentsOfFile: directory + "/" + figure.file, encoding: .utf8)
            #expect(svg.hasPrefix("<svg"))
        }
        #expect(document.figures.contains { $0.file == "efficiency-leaderboard.svg" })
        // Numeric CSV: mean, sd and n columns, and a row per seed.
        let csv = try String(contentsOfFile: directory + "/efficiency-1.csv", encoding: .utf8)
        #expect(csv.hasPrefix("optimizer,activation,learning_rate,figure,mean,sd,n\n"))
        #expect(!csv.contains("±"))
        let perSeed = try String(contentsOfFile: directory + "/efficiency-2.csv", encoding: .utf8)
        #expect(perSeed.split(separator: "\n").count == 1 + results.trials.count)

        // Fewer than three seeds: the figures, and no verdict.
        let few = try ExperimentContext(outputDirectory: SyntheticData.temporaryDirectory("efficiency-few"), seeds: 2)
        let fewPlan = EfficiencyExperiment.Plan(
            sizes: plan.sizes, budget: plan.budget, targetError: 0.5, optimizers: [.adam(learningRate: 3e-3)], seeds: [0, 1])
        let judged = try EfficiencyExperiment.run(few, configuration: fewPlan, inputs: data).claims
        #expect(!judged.isEmpty && judged.allSatisfy { $0.verdict == Verdict.tooFewSeeds })
    }

    @Test func costMeasuresEveryKernelAndProfilesTraining() throws {
        let directory = SyntheticData.temporaryDirectory("cost")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 3)
        let results = try CostExperiment.run(
            context, configuration: .init(elements: 256, runs: 20, trainingSamples: 1, seeds: [0], threads: 1),
            inputs: try SyntheticData.make(count: 256)).results
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
        let times = ["forward", "backward"].flatMap { direction in
            ["relu", "softplus", "sigmoid", "tanh"].map { results.nanoseconds($0, direction) }
        }
        let verdicts = ["forward", "backward"].flatMap { direction in
            ["softplus", "sigmoid", "tanh"].map {
                Verdict.exceeds(results.nanoseconds("relu", direction), results.nanoseconds($0, direction), lowerIsBetter: true)
            }
        }
        #expect(times.allSatisfy { $0.count == 5 }, "five repetitions for one seed")
        #expect(document.claims[0].verdict == Verdict.timing(Verdict.all(verdicts), repetitions: times))
        #expect(document.figures.map(\.file) == ["cost-shapes.svg", "cost-kernels.svg", "cost-training-share.svg"])
    }

    @Test func comparisonTrainsFiveActivationsAndTabulatesThem() throws {
        let directory = SyntheticData.temporaryDirectory("comparison")
        let context = try ExperimentContext(outputDirectory: directory, seeds: 1)
        let document = try SideBySideComparison.run(
            context, configuration: TrialBudget(hiddenSizes: [16], epochs: 2, batchSize: 32),
            inputs: try SyntheticData.make(count: 256))
        let (results, table) = (document.results, document.tables[0])
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
