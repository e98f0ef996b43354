import Experiments
import Foundation
import Networks
import Testing

@Suite(.serialized) struct RunnerTests {
    private let trials = Trial.grid(
        activations: [.fixed(.relu), .fixed(.tanh), .prelu(try! PReLUOptions())], seeds: [0, 1],
        optimizers: [.adam(learningRate: 3e-3)])

    private func run(_ data: ExperimentData) throws -> [TrialResult] {
        try SideBySideRunner(data: data, budget: TrialBudget(hiddenSizes: [16, 8], epochs: 3, batchSize: 32, probeSize: 64))
            .run(trials)
    }

    /// Everything a record holds except wall time, as bits.
    private func fingerprint(_ results: [TrialResult]) -> [[UInt64]] {
        results.map { result in
            var values: [Double] = []
            for record in result.records {
                values += [record.trainLoss, record.trainAccuracy ?? .nan]
                values += [record.validationLoss ?? .nan, record.validationAccuracy ?? .nan]
                values += record.deadUnitFractions.map(\.value)
                values += record.gradientNorms.map(\.value)
                values += record.slopes.flatMap(\.values)
            }
            return values.map(\.bitPattern)
        }
    }

    @Test func sameSeedsGiveBitIdenticalRecords() throws {
        let data = try SyntheticData.make(count: 256)
        let first = try run(data), second = try run(data)
        #expect(first.count == trials.count)
        #expect(first.allSatisfy { $0.records.count == 3 && $0.divergence == nil })
        #expect(fingerprint(first) == fingerprint(second))
        #expect(first.map(\.testAccuracy) == second.map(\.testAccuracy))
    }

    @Test func differentSeedsGiveDifferentRuns() throws {
        let results = try run(try SyntheticData.make(count: 256))
        let relu = results.matching(activation: "relu", optimizer: "adam")
        #expect(relu.count == 2)
        #expect(relu[0].records.map(\.trainLoss) != relu[1].records.map(\.trainLoss))
    }

    @Test func trainingLearnsAndTimeToTargetIsConsistent() throws {
        let results = try run(try SyntheticData.make(count: 512))
        for result in results {
            let errors = result.trainErrors
            #expect(errors.last! < errors.first!, "\(result.activation) seed \(result.seed) did not learn")
            let target = errors[1]
            let epochs = try #require(result.epochsToReach(trainError: target))
            #expect(epochs > 0 && epochs <= 2)
            let seconds = try #require(result.secondsToReach(trainError: target))
            #expect(seconds > 0 && seconds <= result.cumulativeSeconds[1])
            #expect(result.epochsToReach(trainError: -1) == nil)
        }
    }

    @Test func progressCoversTheWholeRunAndEstimatesTimeLeft() throws {
        final class Log: @unchecked Sendable {
            var snapshots: [ProgressSnapshot] = []
        }
        let log = Log()
        let reporter = ProgressReporter { log.snapshots.append($0) }
        let data = try SyntheticData.make(count: 128)
        let runner = SideBySideRunner(data: data, budget: TrialBudget(hiddenSizes: [8], epochs: 2, batchSize: 32))
        let task = reporter.start("test", totalWork: runner.workUnits(trials))
        _ = try runner.run(trials, progress: task)
        task.finish(status: "done")
        #expect(log.snapshots.first?.completed == 0)
        #expect(log.snapshots.last?.isFinished == true)
        #expect(log.snapshots.last?.fraction == 1)
        let beforeEnd = log.snapshots.dropLast()
        #expect(beforeEnd.last?.completed == beforeEnd.last?.total, "one unit per batch adds up to the total")
        #expect(zip(beforeEnd, beforeEnd.dropFirst()).allSatisfy { $0.completed <= $1.completed })
    }
}
