import Experiments
import Foundation
import Testing

/// The three-state verdict rules on figures whose answer is known by construction: each rule
/// supported, not supported and inconclusive, and the seed-count rule.
@Suite struct VerdictRuleTests {
    private func seeds(_ values: Double...) -> SeedStatistics { SeedStatistics(values) }

    @Test func someOfSeveralAndThresholdsAllThreeWays() {
        #expect(Verdict.any([.notSupported, .inconclusive, .supported]) == .supported)
        #expect(Verdict.any([.notSupported, .notSupported]) == .notSupported)
        #expect(Verdict.any([.notSupported, .inconclusive]) == .inconclusive && Verdict.any([]) == .inconclusive)
        // 0.6 ± 0.01 above 0.5: supported; below 0.7: not supported; 0.5 ± 0.1 straddles 0.5.
        #expect(Verdict.beyond([0.59, 0.6, 0.61], 0.5) == .supported)
        #expect(Verdict.beyond([0.59, 0.6, 0.61], 0.7) == .notSupported)
        #expect(Verdict.beyond([0.4, 0.5, 0.6], 0.5) == .inconclusive)
        #expect(Verdict.beyond([0.59, 0.6, 0.61], 0.5, lowerIsBetter: true) == .notSupported)
    }

    @Test func higherIsBetterAllThreeWays() {
        // Separated spreads, clearly higher: supported; clearly lower: not supported.
        #expect(Verdict.exceeds(seeds(0.90, 0.91, 0.92), seeds(0.80, 0.81, 0.82)) == .supported)
        #expect(Verdict.exceeds(seeds(0.80, 0.81, 0.82), seeds(0.90, 0.91, 0.92)) == .notSupported)
        // Overlapping spreads, whichever mean is higher: inconclusive.
        #expect(Verdict.exceeds(seeds(0.80, 0.85, 0.90), seeds(0.82, 0.84, 0.86)) == .inconclusive)
        #expect(Verdict.exceeds(seeds(0.82, 0.84, 0.86), seeds(0.80, 0.85, 0.90)) == .inconclusive)
        // No finite value on a side: inconclusive.
        #expect(Verdict.exceeds(seeds(.nan), seeds(0.5)) == .inconclusive)
    }

    @Test func relativeMarginOfTenPercent() {
        // 12.0 against 10.0 (+20 %), tight spreads: supported at a 10 % margin.
        #expect(Verdict.exceeds(seeds(11.9, 12.0, 12.1), seeds(9.9, 10.0, 10.1), by: .relative(0.10)) == .supported)
        // +2.6 %, tight spreads (the spreads are apart, but the rise is under the margin): not supported.
        #expect(Verdict.exceeds(seeds(10.25, 10.26, 10.27), seeds(9.99, 10.0, 10.01), by: .relative(0.10)) == .notSupported)
        // +9 % with a spread reaching past +10 %: inconclusive.
        #expect(Verdict.exceeds(seeds(10.4, 10.9, 11.4), seeds(9.9, 10.0, 10.1), by: .relative(0.10)) == .inconclusive)
    }

    @Test func lowerIsBetterAllThreeWays() {
        // Epochs to a target: 2 against 6, tight: supported even at a 2× margin.
        #expect(Verdict.exceeds(seeds(1.9, 2.0, 2.1), seeds(5.9, 6.0, 6.1), by: .relative(1.0), lowerIsBetter: true) == .supported)
        // 5 against 6 at a 2× margin: short of it even in the best reading.
        #expect(Verdict.exceeds(seeds(4.9, 5.0, 5.1), seeds(5.9, 6.0, 6.1), by: .relative(1.0), lowerIsBetter: true) == .notSupported)
        // Overlap: inconclusive; slower: not supported.
        #expect(Verdict.exceeds(seeds(2, 4, 6), seeds(3, 5, 7), lowerIsBetter: true) == .inconclusive)
        #expect(Verdict.exceeds(seeds(7, 7.1, 7.2), seeds(3, 3.1, 3.2), lowerIsBetter: true) == .notSupported)
        // Absolute margin: 1 point lower at 0.5 required, tight: supported; at 2 required: not.
        #expect(Verdict.exceeds(seeds(8.9, 9, 9.1), seeds(9.9, 10, 10.1), by: .absolute(0.5), lowerIsBetter: true) == .supported)
        #expect(Verdict.exceeds(seeds(8.9, 9, 9.1), seeds(9.9, 10, 10.1), by: .absolute(2), lowerIsBetter: true) == .notSupported)
    }

    @Test func pairedComparisonPerSeed() {
        // Every seed gains 3–5 points: supported at a 1-point margin; at 10, not supported.
        #expect(Verdict.paired([0.03, 0.04, 0.05], margin: 0.01) == .supported)
        #expect(Verdict.paired([0.03, 0.04, 0.05], margin: 0.10) == .notSupported)
        // Gains and losses: inconclusive; every seed loses: not supported.
        #expect(Verdict.paired([0.05, -0.04, 0.01]) == .inconclusive)
        #expect(Verdict.paired([-0.03, -0.04, -0.05]) == .notSupported)
    }

    @Test func fewerThanThreeSeedsGiveNoVerdict() {
        let claims = [
            Claim(claim: "a", measured: "x", verdict: .supported), Claim(claim: "b", measured: "y", verdict: .inconclusive),
        ]
        for seeds in [1, 2] {
            let judged = Claim.judged(claims, seeds: seeds)
            #expect(judged.allSatisfy { $0.verdict == .tooFewSeeds && !$0.supported })
            #expect(judged.map(\.measured) == ["x", "y"])
        }
        #expect(Claim.judged(claims, seeds: 3) == claims)
        #expect(Verdict.tooFewSeeds.rawValue == "too few seeds for a verdict")
    }

    @Test func claimsEncodeTheVerdictAndReadOldDocuments() throws {
        let claim = Claim(claim: "c", measured: "m", verdict: .inconclusive)
        let data = try ExperimentJSON.encoder().encode(claim)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["verdict"] as? String == "inconclusive" && object["supported"] as? Bool == false)
        #expect(try ExperimentJSON.decoder().decode(Claim.self, from: data) == claim)
        let old = Data(#"{"claim": "c", "measured": "m", "supported": true}"#.utf8)
        #expect(try ExperimentJSON.decoder().decode(Claim.self, from: old).verdict == .supported)
    }
}
