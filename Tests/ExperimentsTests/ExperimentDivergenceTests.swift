import Experiments
import Foundation
import Networks
import Testing

/// Diverged feed-forward runs: recorded with the epoch they diverged in, counted per setting,
/// and counted by each experiment's stated rule, on runs whose outcome is known by
/// construction.
@Suite struct ExperimentDivergenceTests {
    /// SGD at 10³⁹, beyond Float's range, makes every parameter ±∞ or NaN in the first step,
    /// so the second batch's loss is NaN: every trial diverges in epoch 1. Efficiency then counts
    /// each seed as never reaching the target, with chance accuracy (1/10), and its JSON marks
    /// every trial; Adam at 3·10⁻³ on the same data diverges nowhere.
    @Test func efficiencyCountsDivergedSeedsAsFailures() throws {
        let data = try SyntheticData.make(count: 128)
        func run(_ optimizer: NamedOptimizer, _ name: String) throws -> (EfficiencyResults, [String: Any]) {
            let directory = SyntheticData.temporaryDirectory(name)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let plan = EfficiencyExperiment.Plan(
                sizes: .init(training: 1, validation: 1), budget: TrialBudget(hiddenSizes: [8], epochs: 2, batchSize: 32),
                targetError: 0.5, optimizers: [optimizer], seeds: [0, 1])
            let results = try EfficiencyExperiment.run(
                try ExperimentContext(outputDirectory: directory, seeds: 2), configuration: plan, inputs: data).results
            let json = try JSONSerialization.jsonObject(
                with: try Data(contentsOf: URL(fileURLWithPath: directory + "/efficiency.json"))) as! [String: Any]
            return (results, json)
        }
        #expect(data.chanceAccuracy == 0.1)
        let (wild, wildJSON) = try run(.sgdMomentum(learningRate: 1e39), "efficiency-diverged")
        #expect(wild.trials.allSatisfy { $0.diverged && $0.divergedAtEpoch == 1 && $0.testAccuracy == nil })
        for activation in wild.activations(for: "sgd-momentum") {
            let summary = wild.summary(activation: activation, optimizer: "sgd-momentum")
            #expect(summary.diverged == 2 && summary.epochsToTarget.count == 0)
            #expect(summary.finalValidationAccuracy.mean == 0.1 && summary.finalValidationAccuracy.missing == 0)
            #expect(abs(summary.finalTrainError.mean - 0.9) < 1e-12)
        }
        let trials = (wildJSON["results"] as! [String: Any])["trials"] as! [[String: Any]]
        #expect(trials.allSatisfy { $0["diverged"] as? Bool == true && $0["diverged_at_epoch"] as? Int == 1 })
        let counts = wildJSON["diverged_runs"] as! [[String: Any]]
        #expect(counts.count == EfficiencyExperiment.activations.count)
        #expect(counts.allSatisfy { $0["runs"] as? Int == 2 && $0["diverged"] as? Int == 2 })
        #expect(counts.first?["setting"] as? String == "sgd-momentum · relu")

        let (calm, calmJSON) = try run(.adam(learningRate: 3e-3), "efficiency-calm")
        #expect(calm.trials.allSatisfy { !$0.diverged && $0.divergedAtEpoch == nil && $0.records.count == 2 })
        let calmTrials = (calmJSON["results"] as! [String: Any])["trials"] as! [[String: Any]]
        #expect(calmTrials.allSatisfy { $0["diverged"] as? Bool == false && $0["diverged_at_epoch"] == nil })
        #expect((calmJSON["diverged_runs"] as! [[String: Any]]).allSatisfy { $0["diverged"] as? Int == 0 })
    }

    /// Dead-unit results where every run keeps `dead` of its units, the runs in `diverged`
    /// marked diverged ("activation rate-index").
    private func deadUnits(_ dead: [String: [Double]], diverged: Set<String> = []) -> DeadUnitsResults {
        var configuration = DeadUnitsConfiguration(seeds: 1)
        configuration.learningRates = [0.001, 0.05]
        var runs: [DeadUnitsRun] = []
        for (activation, fractions) in dead {
            for (index, (rate, fraction)) in zip(configuration.learningRates, fractions).enumerated() {
                let layer = UnitActivity(layer: "layers.1", deadFraction: fraction, inactiveFraction: fraction)
                let failed = diverged.contains("\(activation) \(index)")
                runs.append(DeadUnitsRun(
                    activation: activation, learningRate: rate, seed: 0, deadFractions: [[0], [fraction]],
                    initialActivity: [], finalActivity: [layer], validationAccuracy: failed ? nil : 0.8, slopes: [],
                    divergence: failed ? "diverged in epoch 2, batch 1: the loss is nan" : nil,
                    divergedAtEpoch: failed ? 2 : nil))
            }
        }
        return DeadUnitsResults(configuration: configuration, runs: runs)
    }

    /// A diverged run counts as every unit dead: a diverged leaky run refutes the claim that
    /// held with the same measured fractions, and a diverged ReLU run gives ReLU the dead units
    /// its measurement did not.
    @Test func deadUnitsCountADivergedRunAsEveryUnitDead() {
        let holds: [String: [Double]] = ["relu": [0, 0.3], "leaky:0.01": [0, 0], "prelu": [0, 0.1]]
        #expect(DeadUnitsVerdict.claim(deadUnits(holds)).supported)
        #expect(!DeadUnitsVerdict.claim(deadUnits(holds, diverged: ["leaky:0.01 1"])).supported)
        #expect(DeadUnitsVerdict.finalDeadFraction(deadUnits(holds, diverged: ["leaky:0.01 1"]), activation: "leaky:0.01", learningRate: 0.05) == 1)

        let nothingDead: [String: [Double]] = ["relu": [0, 0], "leaky:0.01": [0, 0], "prelu": [0, 0]]
        #expect(!DeadUnitsVerdict.claim(deadUnits(nothingDead)).supported)
        #expect(DeadUnitsVerdict.claim(deadUnits(nothingDead, diverged: ["relu 1"])).supported)
        let run = deadUnits(nothingDead, diverged: ["relu 1"]).runs.first { $0.diverged }!
        #expect(run.divergedAtEpoch == 2 && run.activation == "relu")
    }
}
