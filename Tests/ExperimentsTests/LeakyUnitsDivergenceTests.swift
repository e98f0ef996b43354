import Datasets
import Experiments
import Foundation
import Networks
import Testing

/// Divergence in the leaky-units experiment, on runs whose outcome is known by construction:
/// detected and marked when it happens, absent when it does not, and counted by the stated
/// rule in the verdicts.
@Suite struct LeakyUnitsDivergenceTests {
    /// h(t) = relu(W·x(t) + g·h(t−1)) with W = 0.5 and inputs ≥ 0 is at least g·h(t−1):
    /// with g = 2 the last state of a 200-step sequence is past Float's range (2¹⁹⁸·h(0)), so
    /// the held-out MSE is not finite and the rule calls it diverged; with g = ½ every state
    /// stays below 0.5·2/(1 − ½) = 2, the output below 2, the MSE below 16 ≪ 10³/6: not.
    @Test(arguments: [(2.0, true), (0.5, false)])
    func aRecurrenceThatGrowsDivergesAndOneThatShrinksDoesNot(gain: Double, diverges: Bool) throws {
        let units = 4
        let network = try RecurrentNetwork<Float>(
            try LeakyRecurrent(inputSize: AddingProblem.featureCount, units: units, activation: .relu, leak: .none),
            outputSize: 1)
        try network.parameters.setTensor(named: "recurrent.weight_ih", to: [Float](repeating: 0.5, count: units * 2))
        try network.parameters.setTensor(
            named: "recurrent.weight_hh", to: (0..<units * units).map { $0 % (units + 1) == 0 ? Float(gain) : 0 })
        try network.parameters.setTensor(named: "readout.weight", to: [Float](repeating: 0.25, count: units))
        let batch = try AddingProblem(length: 200).makeBatch(size: 16, seed: 3)
        let outputs = try network.predict(batch.inputs, batchSize: batch.size, length: batch.length)
        let mse = (0..<batch.size).map { Double(outputs[$0, 0]) - Double(batch.targets[$0]) }.map { $0 * $0 }
            .reduce(0, +) / Double(batch.size)
        let reason = DivergenceRule.reason(
            loss: mse, baseline: AddingProblem.meanPredictionError, what: "the held-out MSE")
        #expect((reason != nil) == diverges, "MSE \(mse)")
        if !diverges { #expect(mse < 16) }
    }

    private func options(rate: Double, divergence: DivergencePolicy = .stop) -> LeakyUnitsOptions {
        var options = LeakyUnitsOptions(seeds: 2)
        options.lengths = [6, 10]
        options.units = 8
        options.steps = 5
        options.testSequences = 16
        options.learningRate = rate
        options.profilesStep = false
        options.sequentialImages = nil
        options.divergence = divergence
        return options
    }

    private func run(_ options: LeakyUnitsOptions, _ name: String) throws -> (ExperimentDocument<[LeakyUnitsRun]>, [String: Any], String) {
        let directory = SyntheticData.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = try LeakyUnitsExperiment.run(
            try ExperimentContext(outputDirectory: directory, seeds: options.seeds), configuration: options)
        let json = try JSONSerialization.jsonObject(
            with: try Data(contentsOf: URL(fileURLWithPath: directory + "/leaky-units.json"))) as! [String: Any]
        let svg = try String(contentsOfFile: directory + "/leaky-units-mse.svg", encoding: .utf8)
        return (document, json, svg)
    }

    /// Adam's first step moves every parameter by about ±η (m̂/√v̂ = sign g): with η = 10³⁹
    /// the weights are ±3·10³⁸ or ±∞ and the second forward pass overflows, so every run
    /// diverges at step 2 and keeps its initial weights (0 steps); with η = 10⁻⁷ the weights
    /// stay where they started and no run does.
    @Test func divergedRunsAreDetectedRecordedCountedAndMarked() throws {
        let (document, json, svg) = try run(options(rate: 1e39), "leaky-diverged")
        let adding = document.results
        #expect(adding.count == 2 * 4 * 2 * 2)
        for run in adding {
            #expect(run.diverged && run.divergedAtStep == 2 && run.steps == 0 && run.backOffs == 0)
            #expect(run.divergence?.hasPrefix("the training loss is") == true || run.divergence?.hasPrefix("the gradient norm") == true)
            #expect(run.finalMSE.map { $0.isFinite && $0 < 1000.0 / 6 } == true, "the initial weights are scored")
        }
        let results = json["results"] as! [[String: Any]]
        #expect(results.allSatisfy { $0["diverged"] as? Bool == true && $0["diverged_at_step"] as? Int == 2 })
        #expect(results.allSatisfy { $0["back_offs"] as? Int == 0 && $0["divergence"] is String })
        let counts = json["diverged_runs"] as! [[String: Any]]
        #expect(counts.count == 4 * 2 * 2)
        #expect(counts.allSatisfy { $0["runs"] as? Int == 2 && $0["diverged"] as? Int == 2 })
        #expect(counts.contains { $0["setting"] as? String == "learned · relu · T = 10" })
        // Numeric table: every MSE cell is missing (n = 0), every run counted diverged, none solved.
        let table = document.tables[0]
        let column = { (name: String) in table.columns.firstIndex(of: name)! }
        let figure = column("figure"), mean = column("mean"), n = column("n")
        #expect(table.rows.filter { $0[figure] == "held_out_mse" }.allSatisfy { $0[n] == "0" && $0[mean] == "" })
        #expect(table.rows.filter { $0[figure] == "diverged" }.allSatisfy { Double($0[mean]) == 1 && $0[n] == "2" })
        #expect(table.rows.filter { $0[figure] == "solved" }.allSatisfy { Double($0[mean]) == 0 })
        #expect(document.claims.first { $0.claim.contains("reach MSE < 0.01") }?.supported == false)
        // One triangle per (series, length), each for two seeds; the y axis spans the reference
        // lines and the medians (each 1/6), nothing near the exploded values.
        #expect(svg.components(separatedBy: "class=\"diverged\"").count - 1 == 4 * 2 * 2)
        #expect(svg.components(separatedBy: ">×2</text>").count - 1 == 4 * 2 * 2)
        #expect(svg.contains("▲ at the top edge: 32 runs that diverged (off the scale)"))
        #expect(!svg.contains("10³") && !svg.contains("10⁴") && !svg.contains(">1000<"), "no tick at 10³ or above")

        let (calm, calmJSON, calmSVG) = try run(options(rate: 1e-7), "leaky-calm")
        #expect(calm.results.allSatisfy { !$0.diverged && $0.divergedAtStep == nil && $0.steps == 5 })
        #expect((calmJSON["results"] as! [[String: Any]]).allSatisfy { $0["diverged"] as? Bool == false && $0["divergence"] == nil })
        #expect((calmJSON["diverged_runs"] as! [[String: Any]]).allSatisfy { $0["diverged"] as? Int == 0 })
        #expect(!calmSVG.contains("class=\"diverged\"") && !calmSVG.contains("diverged (off the scale)"))
    }

    /// Back-off goes back to the checkpoint at a lower rate; 10³⁹ × 0.5³ still diverges, so the
    /// run ends diverged after the three retries the policy allows.
    @Test func backOffIsHonoured() throws {
        var options = options(rate: 1e39, divergence: .backOff(factor: 0.5, maxRetries: 3))
        options.lengths = [6]
        options.leaks = [.none]
        options.activations = [.relu]
        let (document, json, _) = try run(options, "leaky-backoff")
        #expect(document.results.allSatisfy { $0.diverged && $0.backOffs == 3 && $0.divergedAtStep == 2 })
        #expect((json["results"] as! [[String: Any]]).allSatisfy { $0["back_offs"] as? Int == 3 })
        #expect(document.summary.contains("at most 3 times"))

        options.divergence = .backOff(factor: 1.5, maxRetries: 3)
        #expect(throws: ExperimentError.self) { try options.validate() }
    }

    /// Runs of the adding problem at T = 200 with these held-out MSEs; `diverged` seeds are
    /// marked diverged (their MSE is what their kept weights scored).
    private func runs(_ cells: [String: [Double]], diverged: Set<String> = []) throws -> [LeakyUnitsRun] {
        var objects: [[String: Any]] = []
        for (variant, values) in cells {
            for (seed, mse) in values.enumerated() {
                var object: [String: Any] = [
                    "task": "adding", "length": 200, "variant": variant, "activation": "relu", "seed": seed,
                    "seconds": 1.0, "steps": 300, "final_mse": mse, "curve_steps": [300], "curve_mse": [mse],
                    "reach_distances": [0], "reach_untrained": [1.0], "reach_trained": [1.0],
                    "learned_time_constants": [Double](), "back_offs": 0, "diverged": diverged.contains("\(variant) \(seed)"),
                ]
                if diverged.contains("\(variant) \(seed)") {
                    object["divergence"] = "the training loss is inf"
                    object["diverged_at_step"] = 100
                }
                objects.append(object)
            }
        }
        return try ExperimentJSON.decoder().decode([LeakyUnitsRun].self, from: JSONSerialization.data(withJSONObject: objects))
    }

    /// A diverged seed counts as the mean predictor (1/6), never as its own number: the same
    /// MSEs give the opposite verdict once one seed is marked diverged, both ways.
    @Test func theVerdictCountsADivergedSeedAsTheMeanPredictor() throws {
        var options = LeakyUnitsOptions(seeds: 3)
        options.lengths = [200]
        options.leaks = [.none, .learned(initialTimeConstants: 1.5...100)]
        options.activations = [.relu]
        func target(_ runs: [LeakyUnitsRun]) -> Claim {
            LeakyUnitsExperiment.claims(runs, options: options).first { $0.claim.contains("reach MSE < 0.01") }!
        }
        let learned = [0.005, 0.003, 0.004], plain = [0.2, 0.15, 0.17]
        // Learned solves it on every seed while plain does not: supported.
        #expect(target(try runs(["learned": learned, "plain": plain])).verdict == .supported)
        // Every learned seed diverged: each counts 1/6, whatever its kept weights scored: not supported.
        let failed = target(try runs(["learned": learned, "plain": plain], diverged: ["learned 0", "learned 1", "learned 2"]))
        #expect(failed.verdict == .notSupported)
        #expect(failed.measured.contains("learned 0.1667, 3 of 3 diverged"))
        // One diverged seed (1/6 among 0.005 and 0.004): the spread straddles 0.01: inconclusive.
        #expect(target(try runs(["learned": learned, "plain": plain], diverged: ["learned 1"])).verdict == .inconclusive)

        // A plain layer that solved it refutes the claim, unless its seeds diverged: then
        // each counts 1/6.
        let solvingPlain = [0.001, 0.002, 0.0015]
        #expect(target(try runs(["learned": learned, "plain": solvingPlain])).verdict == .notSupported)
        #expect(target(try runs(["learned": learned, "plain": solvingPlain], diverged: ["plain 0", "plain 1", "plain 2"])).verdict == .supported)
    }
}
