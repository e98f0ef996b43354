import Activations
import CBLAS
import Runtime

/// The bridge to BLAS: the only file that names a BLAS library. Another BLAS (Accelerate,
/// MKL, BLIS) slots in by changing ``singleThreadedGEMM`` and the one-time set-up.
///
/// Threads: OpenBLAS's own thread pool does not speed up the batch-sized products of
/// training on this machine (784-256-128-10 at batch 128: 0.73 s of GEMM per epoch with its
/// 2 threads, the same as with 1). So OpenBLAS runs single-threaded and ``gemm`` splits the
/// rows of C into ``Execution/threads`` blocks itself, one single-threaded BLAS call
/// per block, on the spinning workers of ``WorkerPool`` (0.40 s per epoch on 2 threads).
/// Each element of C is computed by one call whose blocks depend only on the shapes and the
/// thread count, so the same thread count gives the same bits.
public enum BLAS {
    /// Below this many multiply-adds a product runs on the calling thread (a hand-off costs
    /// about as much as 10⁶ of them).
    public static let parallelThreshold = 1 << 20

    /// The same for a one-row product (``gemm`` with m = 1), split by output columns.
    public static let gemvParallelThreshold = 1 << 16

    /// Row-major general matrix product, `C ← α·op(A)·op(B) + β·C`, where op(A) is
    /// `m × k`, op(B) is `k × n` and C is `m × n`; `op(X) = Xᵀ` when `transposeX` is true.
    /// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored. With β = 0, C is
    /// written without being read. Time is O(m·n·k), split over ``Execution/threads``
    /// threads by rows of C when there are at least ``parallelThreshold`` multiply-adds.
    /// - Precondition: sizes are ≥ 0 and strides fit the stored shapes.
    public static func gemm<T: ActivationScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: T, a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
        beta: T, c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        if m == 1 {
            rowTimesMatrix(transposeA, transposeB, n, k, alpha, a, lda, b, ldb, beta, c)
            return
        }
        // Blocks of at least 8 rows, boundaries on multiples of 8 so vector kernels see
        // whole panels.
        let execution = m * n * k >= parallelThreshold ? Execution.current : .serial
        execution.forEachChunk(count: m, minimumChunk: 8, alignment: 8) { block in
            let first = block.lowerBound, rows = block.count
            // Row r of op(A) starts at a + r·lda when A is stored as is, at column r otherwise.
            let blockA = transposeA ? a + first : a + first * lda
            singleThreadedGEMM(
                transposeA, transposeB, rows, n, k, alpha, blockA, lda, b, ldb, beta,
                c + first * ldc, ldc)
        }
    }

    /// OpenBLAS, kept to one thread once per process (see the type's documentation).
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// One BLAS call on the calling thread.
    @inline(__always)
    static func singleThreadedGEMM<T: ActivationScalar>(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ alpha: T, _ a: UnsafePointer<T>, _ lda: Int, _ b: UnsafePointer<T>, _ ldb: Int,
        _ beta: T, _ c: UnsafeMutablePointer<T>, _ ldc: Int
    ) {
        _ = singleThreaded
        let opA = transposeA ? CblasTrans : CblasNoTrans
        let opB = transposeB ? CblasTrans : CblasNoTrans
        if T.self == Float.self {
            cblas_sgemm(
                CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                Float(alpha), UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), Int32(lda),
                UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), Int32(ldb),
                Float(beta), UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self),
                Int32(ldc))
        } else if T.self == Double.self {
            cblas_dgemm(
                CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                Double(alpha), UnsafeRawPointer(a).assumingMemoryBound(to: Double.self),
                Int32(lda), UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), Int32(ldb),
                Double(beta), UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self),
                Int32(ldc))
        } else {
            preconditionFailure("BLAS.gemm: no BLAS routine for \(T.self)")
        }
    }
}

extension BLAS {
    /// The one-row product (a batch of one) as a matrix-vector product: `sgemm` would pack
    /// all of B for a single row, which made batch-1 inference 3–4× slower than `sgemv`.
    /// C's row is zeroed first when β = 0, so it is never read (BLAS may scale it by 0,
    /// which keeps a NaN left in a reused buffer).
    private static func rowTimesMatrix<T: ActivationScalar>(
        _ transposeA: Bool, _ transposeB: Bool, _ n: Int, _ k: Int,
        _ alpha: T, _ a: UnsafePointer<T>, _ lda: Int, _ b: UnsafePointer<T>, _ ldb: Int,
        _ beta: T, _ c: UnsafeMutablePointer<T>
    ) {
        _ = singleThreaded
        if beta == 0 { c.update(repeating: 0, count: n) }
        // y = op(B)ᵀ·x, x the row of op(A): B stored k × n is used transposed, B stored n × k
        // as is. The outputs are split over the threads when there are enough multiply-adds:
        // each thread then reads its share of B, which stays in its own core's cache.
        let order = transposeB ? CblasNoTrans : CblasTrans
        let stride = Int32(transposeA ? lda : 1)
        let execution = n * k >= gemvParallelThreshold ? Execution.current : .serial
        execution.forEachChunk(count: n, minimumChunk: 16, alignment: 16) { block in
            let matrix = transposeB ? b + block.lowerBound * ldb : b + block.lowerBound
            let rows = Int32(transposeB ? block.count : k), columns = Int32(transposeB ? k : block.count)
            if T.self == Float.self {
                cblas_sgemv(
                    CblasRowMajor, order, rows, columns, Float(alpha),
                    UnsafeRawPointer(matrix).assumingMemoryBound(to: Float.self), Int32(ldb),
                    UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), stride, Float(beta),
                    UnsafeMutableRawPointer(c + block.lowerBound).assumingMemoryBound(to: Float.self), 1)
            } else if T.self == Double.self {
                cblas_dgemv(
                    CblasRowMajor, order, rows, columns, Double(alpha),
                    UnsafeRawPointer(matrix).assumingMemoryBound(to: Double.self), Int32(ldb),
                    UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), stride, Double(beta),
                    UnsafeMutableRawPointer(c + block.lowerBound).assumingMemoryBound(to: Double.self), 1)
            } else {
                preconditionFailure("BLAS.gemm: no BLAS routine for \(T.self)")
            }
        }
    }

    /// `C ← α·op(A)·op(B) + β·C` on views, with the shapes checked.
    /// - Precondition: op(A) is m × k, op(B) is k × n and C is m × n.
    public static func gemm<T: ActivationScalar>(
        _ a: MatrixBuffer<T>, _ b: MatrixBuffer<T>, into c: MatrixBuffer<T>,
        transposeA: Bool = false, transposeB: Bool = false, alpha: T = 1, beta: T = 0
    ) {
        let m = transposeA ? a.columns : a.rows, k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows, n = transposeB ? b.rows : b.columns
        precondition(k == kb && c.rows == m && c.columns == n, "BLAS.gemm: shapes do not agree")
        gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: a.base, lda: a.columns, b: b.base, ldb: b.columns,
            beta: beta, c: c.base, ldc: c.columns)
    }
}
