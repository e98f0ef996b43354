internal import CActivationKernels
import Runtime

/// A kernel applied lane group by lane group: `y = f(x)`.
protocol UnaryVectorKernel {
    associatedtype Vector: KernelVector
    func callAsFunction(_ x: Vector) -> Vector
}

/// A kernel of two inputs: `gradientInput = f(saved, gradientOutput)`.
protocol BinaryVectorKernel {
    associatedtype Vector: KernelVector
    func callAsFunction(_ saved: Vector, _ gradient: Vector) -> Vector
}

/// The loops that run a kernel over buffers: whole lane groups, a partial group at the end,
/// optional non-temporal stores, and the split across threads.
///
/// Kernels are generic structs rather than closures so that each loop is specialised with
/// the kernel inlined (no call per lane group).
enum VectorLoops {
    /// Out-of-place outputs at least this large bypass the caches: input and output no longer
    /// fit a 32 MiB L3, and a normal store must first read the line it writes (measured:
    /// ReLU at 2^24 floats 0.44 → 0.23 ns/element with streaming stores; at 2^21, still in
    /// L3, streaming was slightly slower than normal stores).
    static let streamingBytes = 16 << 20

    /// How far ahead a streaming unary pass prefetches its input (RECT_PREFETCH_AHEAD in
    /// FloatLanes.h, measured there).
    static let prefetchAheadBytes = 2048

    /// `output[i] = kernel(input[i])` for all i, split across threads in chunks of at least
    /// `minimumChunk` elements. `output` may equal `input` (in place).
    @inline(__always)
    static func map<K: UnaryVectorKernel>(
        _ kernel: K, _ input: UnsafeBufferPointer<K.Vector.Scalar>,
        _ output: UnsafeMutableBufferPointer<K.Vector.Scalar>, minimumChunk: Int
    ) {
        guard let source = input.baseAddress, let target = output.baseAddress else { return }
        let streaming = UnsafePointer(target) != source
            && input.count * MemoryLayout<K.Vector.Scalar>.stride >= streamingBytes
        Execution.current.forEachChunk(count: input.count, minimumChunk: minimumChunk) { range in
            mapRange(kernel, source, target, range, streaming: streaming)
        }
    }

    /// `output[i] = kernel(saved[i], gradient[i])`; `output` may equal either input.
    @inline(__always)
    static func zip<K: BinaryVectorKernel>(
        _ kernel: K, _ saved: UnsafeBufferPointer<K.Vector.Scalar>,
        _ gradient: UnsafeBufferPointer<K.Vector.Scalar>,
        _ output: UnsafeMutableBufferPointer<K.Vector.Scalar>, minimumChunk: Int
    ) {
        guard let first = saved.baseAddress, let second = gradient.baseAddress,
            let target = output.baseAddress
        else { return }
        let streaming = UnsafePointer(target) != first && UnsafePointer(target) != second
            && saved.count * MemoryLayout<K.Vector.Scalar>.stride >= streamingBytes
        Execution.current.forEachChunk(count: saved.count, minimumChunk: minimumChunk) { range in
            zipRange(kernel, first, second, target, range, streaming: streaming)
        }
    }

    /// Kept out of line: inside the thread-splitting closure the C helpers would not be
    /// inlined (IRGen marks those call sites noinline), so the loops must live here. A unary
    /// kernel runs as a binary one reading its input twice; the loop is inlined here, so the
    /// second load of the same address folds into the first.
    @inline(never)
    private static func mapRange<K: UnaryVectorKernel>(
        _ kernel: K, _ input: UnsafePointer<K.Vector.Scalar>,
        _ output: UnsafeMutablePointer<K.Vector.Scalar>, _ range: Range<Int>, streaming: Bool
    ) {
        run(Unary(kernel: kernel), input, input, output, range, streaming: streaming)
    }

    @inline(never)
    private static func zipRange<K: BinaryVectorKernel>(
        _ kernel: K, _ saved: UnsafePointer<K.Vector.Scalar>,
        _ gradient: UnsafePointer<K.Vector.Scalar>,
        _ output: UnsafeMutablePointer<K.Vector.Scalar>, _ range: Range<Int>, streaming: Bool
    ) {
        run(kernel, saved, gradient, output, range, streaming: streaming)
    }

    /// A partial group up to the output's first 64-byte boundary, whole lane groups stored
    /// there aligned (streamed, or stored normally), then the partial group at the end. A
    /// streaming unary pass also prefetches its input, as the C loops do (FloatLanes.h).
    @inline(__always)
    private static func run<K: BinaryVectorKernel>(
        _ kernel: K, _ saved: UnsafePointer<K.Vector.Scalar>,
        _ gradient: UnsafePointer<K.Vector.Scalar>,
        _ output: UnsafeMutablePointer<K.Vector.Scalar>, _ range: Range<Int>, streaming: Bool
    ) {
        let width = K.Vector.scalarCount
        var i = range.lowerBound
        let head = Swift.min(elementsToAlignment(output + i), range.upperBound - i)
        partial(kernel, saved + i, gradient + i, output + i, count: head)
        i += head
        if streaming {
            if saved == gradient {
                let ahead = prefetchAheadBytes / MemoryLayout<K.Vector.Scalar>.stride
                while i + ahead + width <= range.upperBound {
                    rect_prefetch(saved + i + ahead)
                    K.Vector.storeNonTemporal(kernel(load(saved + i), load(saved + i)), to: output + i)
                    i &+= width
                }
            }
            while i + width <= range.upperBound {
                let result = kernel(load(saved + i), load(gradient + i))
                K.Vector.storeNonTemporal(result, to: output + i)
                i &+= width
            }
            nonTemporalStoreFence()
        } else {
            while i + width <= range.upperBound {
                store(kernel(load(saved + i), load(gradient + i)), output + i)
                i &+= width
            }
        }
        partial(kernel, saved + i, gradient + i, output + i, count: range.upperBound - i)
    }

    /// Fewer than one lane group: gathered into a zero-padded group, computed, scattered.
    @inline(never)
    private static func partial<K: BinaryVectorKernel>(
        _ kernel: K, _ saved: UnsafePointer<K.Vector.Scalar>,
        _ gradient: UnsafePointer<K.Vector.Scalar>,
        _ output: UnsafeMutablePointer<K.Vector.Scalar>, count: Int
    ) {
        guard count > 0 else { return }
        var x = K.Vector(), g = K.Vector()
        for lane in 0..<count {
            x[lane] = saved[lane]
            g[lane] = gradient[lane]
        }
        let y = kernel(x, g)
        for lane in 0..<count { output[lane] = y[lane] }
    }

    /// How many elements from `pointer` to the next 64-byte boundary.
    @inline(__always)
    private static func elementsToAlignment<T>(_ pointer: UnsafeMutablePointer<T>) -> Int {
        let misalignment = Int(bitPattern: pointer) & 63
        return misalignment == 0 ? 0 : (64 - misalignment) / MemoryLayout<T>.stride
    }

    @inline(__always)
    private static func load<V: SIMD>(_ pointer: UnsafePointer<V.Scalar>) -> V {
        UnsafeRawPointer(pointer).loadUnaligned(as: V.self)
    }

    @inline(__always)
    private static func store<V: SIMD>(_ value: V, _ pointer: UnsafeMutablePointer<V.Scalar>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: V.self)
    }
}

/// A unary kernel seen as a binary one that ignores its second input.
private struct Unary<K: UnaryVectorKernel>: BinaryVectorKernel {
    let kernel: K

    @inline(__always)
    func callAsFunction(_ x: K.Vector, _: K.Vector) -> K.Vector { kernel(x) }
}
