import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Persistent worker threads that run the blocks of one job in parallel: block 0 on the
/// calling thread, the others claimed in order by whoever is free — a spinning worker
/// claims the next block at once, and the calling thread, once block 0 is done, claims
/// every block no worker has started. So a worker the system has put aside (a loaded
/// machine) never holds up a job it has not begun: measured on 2 cores under load average
/// 10, a batch-1 inference split over two threads took 224 µs a call waiting for the
/// descheduled worker's block against 10 µs on one thread. The split itself is fixed (the
/// blocks' bounds), so results do not depend on who ran which block.
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
    /// The current job's blocks (high 32 bits) and its next unclaimed block (low 32 bits);
    /// 0 between jobs. A block is claimed by moving the low half past it.
    private let claims = Atomic<Int>(0)
    /// Blocks of the current job finished by workers.
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var workerCount = 0
    /// The current job's body; written before its blocks are offered, read by a worker
    /// after it claims one.
    private var job: (Int) -> Void = { _ in }

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
            // A worker reads `job` only after claiming a block of it, and the job stays until
            // every claimed block has finished.
            job = body
            finished.store(0, ordering: .relaxed)
            claims.store(blocks << 32 | 1, ordering: .releasing)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&condition)
                pthread_mutex_unlock(&mutex)
            }
            body(0)
            var ranHere = 1
            while let block = claim() {
                body(block)
                ranHere += 1
            }
            var spins = 0
            while finished.load(ordering: .acquiring) < blocks - ranHere {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            claims.store(0, ordering: .relaxed)
            job = { _ in }
        }
    }

    /// The next unclaimed block of the current job, claimed; nil when none is left.
    private func claim() -> Int? {
        var state = claims.load(ordering: .acquiring)
        while state & 0xFFFF_FFFF < state >> 32 {
            let (exchanged, original) = claims.compareExchange(
                expected: state, desired: state + 1, ordering: .acquiringAndReleasing)
            if exchanged { return state & 0xFFFF_FFFF }
            state = original
        }
        return nil
    }

    /// Starts workers until there are `count`; false when the system refuses a thread.
    private func startWorkers(upTo count: Int) -> Bool {
        while workerCount < count {
            // The worker waits for jobs after the current generation: the one about to be
            // published is its first.
            let context = Unmanaged.passRetained(
                WorkerContext(pool: self, seen: generation.load(ordering: .acquiring))
            ).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { context in
                let worker = Unmanaged<WorkerContext>.fromOpaque(context!).takeRetainedValue()
                worker.pool.workLoop(seen: worker.seen)
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

    /// A worker runs the blocks it claims of every job it sees.
    private func workLoop(seen initial: Int) {
        var seen = initial
        while true {
            seen = waitForJob(after: seen)
            while let block = claim() {
                runBlock(block)
                finished.add(1, ordering: .releasing)
            }
        }
    }

    /// Runs block `block` of the current job. Not inlined, so the reference to the job's
    /// closure is released before the worker reports back.
    @inline(never)
    private func runBlock(_ block: Int) {
        job(block)
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
    let seen: Int

    init(pool: WorkerPool, seen: Int) {
        self.pool = pool
        self.seen = seen
    }
}
