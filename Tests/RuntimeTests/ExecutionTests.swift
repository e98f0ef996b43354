import Synchronization
import Testing

import Runtime

@Suite struct ExecutionTests {
    /// The chunks `forEachChunk` hands out, sorted by start.
    static func chunks(_ execution: Execution, count: Int, minimumChunk: Int, alignment: Int) -> [Range<Int>] {
        let seen = Mutex<[Range<Int>]>([])
        execution.forEachChunk(count: count, minimumChunk: minimumChunk, alignment: alignment) { range in
            seen.withLock { $0.append(range) }
        }
        return seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
    }

    @Test func chunksHoldTheCeilingOfAnEvenShareRoundedUpToTheAlignment() {
        // 129 / 2 = 64.5 → 65 → 128: the matrix products' row blocks split this way.
        #expect(Self.chunks(Execution(threads: 2), count: 129, minimumChunk: 1, alignment: 64) == [0..<128, 128..<129])
        // 100 rows on 3 threads in blocks of 8: ⌈100 / 3⌉ = 34 → 40.
        #expect(Self.chunks(Execution(threads: 3), count: 100, minimumChunk: 8, alignment: 8) == [0..<40, 40..<80, 80..<100])
        #expect(Self.chunks(Execution(threads: 4), count: 10, minimumChunk: 1, alignment: 1) == [0..<3, 3..<6, 6..<9, 9..<10])
    }

    @Test func smallWorkStaysInOneChunk() {
        #expect(Self.chunks(Execution(threads: 2), count: 127, minimumChunk: 64, alignment: 64) == [0..<127])
        #expect(Self.chunks(Execution(threads: 8), count: 5, minimumChunk: 0, alignment: 1).count == 5)
        #expect(Self.chunks(.serial, count: 1 << 20, minimumChunk: 1, alignment: 64) == [0..<(1 << 20)])
        #expect(Self.chunks(Execution(threads: 2), count: 0, minimumChunk: 1, alignment: 64) == [0..<0])
    }

    @Test func indexedChunksAreNumberedFromZero() {
        let seen = Mutex<[Int: Range<Int>]>([:])
        Execution(threads: 3).forEachIndexedChunk(count: 90, minimumChunk: 1, alignment: 1) { index, range in
            seen.withLock { $0[index] = range }
        }
        #expect(seen.withLock { $0 } == [0: 0..<30, 1: 30..<60, 2: 60..<90])
    }

    @Test(arguments: [0, -1, Int.min])
    func threadCountsBelowOneMeanOne(threads: Int) {
        #expect(Execution(threads: threads).threads == 1)
        #expect(Execution.processorCount >= 1)
        #expect(Execution(threads: nil).threads == Execution.processorCount)
    }

    @Test func eachTaskSeesTheExecutionItBound() async {
        let outside = Execution.current.threads
        #expect(outside == Execution.processorCount)
        let seen = await withTaskGroup(of: (Int, [Int]).self) { group in
            for threads in 1...6 {
                group.addTask {
                    Execution(threads: threads).run {
                        var readings: [Int] = []
                        for _ in 0..<200 { readings.append(Execution.current.threads) }
                        return (threads, readings)
                    }
                }
            }
            var all: [(Int, [Int])] = []
            for await result in group { all.append(result) }
            return all
        }
        for (threads, readings) in seen { #expect(readings.allSatisfy { $0 == threads }) }
        #expect(Execution.current.threads == outside)
    }

    @Test func runPassesTypedErrorsThrough() {
        struct Refused: Error, Equatable {}
        #expect(throws: Refused()) { try Execution.serial.run { () throws(Refused) in throw Refused() } }
        #expect(Execution.serial.run { Execution.current.threads } == 1)
        #expect(Execution(threads: 3).with(threads: 2).run { Execution.current.threads } == 2)
    }
}

@Suite struct ProfilerTests {
    @Test func probesReportOnlyToTheProfilerOfTheCurrentExecution() {
        let profiler = Profiler()
        let outside = Profiling.start()
        #expect(outside == 0)
        Profiling.stop(outside, .gemm)
        Execution.current.with(profiler: profiler).run {
            let start = Profiling.start()
            #expect(start != 0)
            while MonotonicClock.nanoseconds - start < 2_000_000 {}
            Profiling.stop(start, .gemm)
        }
        let gemm = profiler.seconds(in: .gemm)
        #expect(gemm >= 0.002 && gemm < 1)
        #expect(profiler.seconds(in: .activations) == 0)
        // A probe outside the execution adds nothing.
        let start = MonotonicClock.nanoseconds
        Profiling.stop(start - 1_000_000_000, .gemm)
        #expect(profiler.seconds(in: .gemm) == gemm)
        profiler.reset()
        #expect(profiler.seconds(in: .gemm) == 0)
    }
}

@Suite struct TimingTests {
    @Test func warmUpsAreNotTimedAndEveryTimedCallCounts() {
        var calls = 0
        let summary = Timing.measure(warmUps: 3, calls: 7) { calls += 1 }
        #expect(calls == 10)
        #expect(summary.calls == 7)
        #expect(summary.minimum <= summary.median)
    }

    @Test func alternatingTurnsTakeTheBodiesInOrderWithOneUntimedCallPerBlock() {
        var order: [Character] = []
        let (a, b) = Timing.alternating(turns: 2, callsPerTurn: 3, { order.append("a") }, { order.append("b") })
        // One untimed call of each, then per turn one untimed and three timed calls of each.
        #expect(String(order) == "ab" + String(repeating: "aaaabbbb", count: 2))
        #expect(a.calls == 6 && b.calls == 6)
        order = []
        let (c, d) = Timing.alternating(turns: 3, { order.append("a") }, { order.append("b") })
        #expect(String(order) == "ab" + String(repeating: "ab", count: 3))
        #expect(c.calls == 3 && d.calls == 3)
    }

    @Test func callsContinueUntilTheTimeIsReached() {
        // Each call's own time, measured inside it (never more than the loop's time of it,
        // which adds the clock reads): robust to the thread being descheduled mid-call.
        var inside: [Double] = []
        let summary = Timing.measure(warmUps: 0, calls: 1, atLeast: 0.02) {
            let start = MonotonicClock.now
            while MonotonicClock.now - start < 0.001 {}
            inside.append(MonotonicClock.now - start)
        }
        #expect(summary.calls == inside.count)
        #expect(summary.minimum >= 0.001)
        // Enough calls to reach the time, and no call after it was reached.
        #expect(inside.reduce(0, +) >= 0.019)
        #expect(inside.dropLast().reduce(0, +) < 0.02)
        // Without a time, the count alone decides.
        var count = 0
        #expect(Timing.measure(warmUps: 0, calls: 3, atLeast: 0) { count += 1 }.calls == 3 && count == 3)
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        let even = Timing.Summary([3, 1, 4, 2])
        #expect(even.median == 2.5 && even.minimum == 1 && even.calls == 4)
        #expect(Timing.Summary([5, 1, 3]).median == 3)
        #expect(Timing.Summary([7]).median == 7)
    }
}

@Suite struct SeededRandomTests {
    /// A generator that returns the words it is given, in order.
    struct Scripted: SeededRandom {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test func boundedDrawsRejectTheShortFirstInterval() {
        // bound 3: 2^64 mod 3 = 1, so a low word of 0 is redrawn; the high word of w·3 is the draw.
        var scripted = Scripted(words: [0, UInt64.max, 1 << 63])
        #expect(scripted.nextIndex(below: 3) == 2)  // 0 rejected, then ⌊(2^64 − 1)·3 / 2^64⌋ = 2
        #expect(scripted.nextIndex(below: 3) == 1)  // ⌊2^63·3 / 2^64⌋ = 1
        var one = Scripted(words: [12345])
        #expect(one.nextIndex(below: 1) == 0)
    }

    @Test func shuffleSwapsFromTheBackWithBoundedDraws() {
        // Position 2 swaps with draw(3) = 0, then position 1 with draw(2) = 1.
        var scripted = Scripted(words: [1, UInt64.max])
        var elements = ["a", "b", "c"]
        scripted.shuffle(&elements)
        #expect(elements == ["c", "b", "a"])
        var generator = SeededGenerator(seed: 9), copy = generator
        var order = Array(0..<Int32(50))
        copy.shuffle(&order)
        #expect(generator.permutation(count: 50) == order)
    }

    @Test func unitDoublesUseTheTop53Bits() {
        var scripted = Scripted(words: [0, UInt64.max, 1 << 63])
        #expect(scripted.nextDouble() == 0)
        #expect(scripted.nextDouble() == 1 - 0x1p-53)
        #expect(scripted.nextDouble() == 0.5)
    }
}
