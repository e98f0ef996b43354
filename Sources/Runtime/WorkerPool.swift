import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Persistent worker threads that run the blocks of one job in parallel: block 0 on the
/// calling thread, block i on worker i − 1 (a fixed assignment, so a block never migrates
/// and every run splits the same way).
///
/// Why not `DispatchQueue.concurrentPerform`: the training step's products last about
/// 0.1–0.4 ms, and Dispatch lets the calling thread take every block when a worker wakes
/// late; measured here, the GEMMs of one epoch then took as long on two threads as on one
/// (0.78 s), against 0.45 s with OpenMP's spinning workers. These workers likewise spin for
/// a while (``spinNanoseconds``) after each job, so the next one starts at once, then sleep
/// on a condition variable.
///
/// A job submitted while another is running (from a second thread, or from inside a block)
/// runs all its blocks on the calling thread: never a deadlock, never oversubscription.
package final class WorkerPool: @unchecked Sendable {
    package static let shared = WorkerPool()

    /// How long an idle worker spins before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var workerCount = 0
    /// The current job; written before `generation` is bumped, read after it is seen.
    private var job: (blocks: Int, body: (Int) -> Void) = (0, { _ in })

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    /// Runs `body(0)`, …, `body(blocks − 1)`, in parallel when the pool is free, and
    /// returns when all have finished.
    package func run(blocks: Int, _ body: (Int) -> Void) {
        guard blocks > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for block in 0..<blocks { body(block) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        guard startWorkers(upTo: blocks - 1) else {
            // The system refused a thread (a process or memory limit): run as a busy pool does.
            for block in 0..<blocks { body(block) }
            return
        }
        withoutActuallyEscaping(body) { body in
            job = (blocks, body)
            // Every worker acknowledges every job, so none still reads `job` when it changes.
            pending.store(workerCount, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&condition)
                pthread_mutex_unlock(&mutex)
            }
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            job = (0, { _ in })
        }
    }

    /// Starts workers until there are `count`; false when the system refuses a thread.
    private func startWorkers(upTo count: Int) -> Bool {
        while workerCount < count {
            // The worker waits for jobs after the current generation: the one about to be
            // published is its first.
            let context = Unmanaged.passRetained(
                WorkerContext(pool: self, index: workerCount, seen: generation.load(ordering: .acquiring))
            ).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { context in
                let worker = Unmanaged<WorkerContext>.fromOpaque(context!).takeRetainedValue()
                worker.pool.workLoop(index: worker.index, seen: worker.seen)
                return nil
            }, context)
            guard status == 0 else {
                Unmanaged<WorkerContext>.fromOpaque(context).release()
                return false
            }
            pthread_detach(thread)
            workerCount += 1
        }
        return true
    }

    /// Worker `index` runs block `index + 1` of every job that has one.
    private func workLoop(index: Int, seen initial: Int) {
        var seen = initial
        while true {
            seen = waitForJob(after: seen)
            runBlock(index + 1)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs block `block` of the current job, if it has one. Not inlined, so the reference
    /// to the job's closure is released before the worker reports back.
    @inline(never)
    private func runBlock(_ block: Int) {
        let (blocks, body) = job
        if block < blocks { body(block) }
    }

    /// Spins, then sleeps, until the generation moves past `seen`; returns the new one.
    private func waitForJob(after seen: Int) -> Int {
        let start = MonotonicClock.nanoseconds
        var spins = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            spins += 1
            if spins & 1023 == 0, MonotonicClock.nanoseconds - start > Self.spinNanoseconds { break }
        }
        pthread_mutex_lock(&mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen {
            pthread_cond_wait(&condition, &mutex)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(&mutex)
        return generation.load(ordering: .acquiring)
    }
}

private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    let seen: Int

    init(pool: WorkerPool, index: Int, seen: Int) {
        self.pool = pool
        self.index = index
        self.seen = seen
    }
}
