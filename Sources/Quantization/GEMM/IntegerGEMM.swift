import Activations
import CQuantKernels

/// The 8-bit integer matrix product, uint8 codes times int8 weights into exact int32:
///
/// ```
/// C[r][j] = Σ_k A[r][k] · W[j][k]      A: rows × inputs (uint8), W: outputs × inputs (int8)
/// ```
///
/// Both factors are widened to int16 and multiplied in pairs with `vpmaddwd`
/// (`_mm256_madd_epi16`), whose pair sums of 8-bit products cannot saturate; AVX2's faster
/// `vpmaddubsw` saturates when a pair sums past 32767 (255·127·2 = 64770) and would need
/// 7-bit weights, which costs accuracy. The sums wrap modulo 2^32 like every int32 add, so
/// all paths give identical integers for any input; ``QuantizedWeights/maximumInputs`` keeps
/// the true sums inside int32.
///
/// The work is split into row panels of 6 (the register tile is 6 rows × 16 units); each panel
/// widens its rows once, then streams every weight panel from cache. Row panels are spread over
/// ``Parallelism/threadCount`` threads when there is enough work.
public enum IntegerGEMM {
    /// Which tile kernel runs.
    public enum Path: String, Sendable, CaseIterable {
        /// The C kernel with AVX2 intrinsics (`vpmaddwd`); on a CPU without AVX2 it falls back
        /// to ``portable``.
        case avx2
        /// Plain Swift SIMD, for any CPU.
        case portable

        /// AVX2 when this CPU has it, otherwise portable.
        public static var automatic: Path { isAVX2Available ? .avx2 : .portable }
    }

    /// Whether this CPU (and its operating system) runs AVX2 code.
    public static let isAVX2Available: Bool = cq_cpu_has_avx2() != 0

    /// Rows per register tile.
    static let tileRows = Int(CQ_TILE_ROWS)

    /// `c[r·outputs + j] = Σ_k a[r·inputs + k] · W[j][k]`, in int32 (wrapping);
    /// O(rows · inputs · outputs).
    /// - Precondition: `a.count == rows · weights.inputs`, `c.count == rows · weights.outputs`.
    public static func multiply(
        _ a: UnsafeBufferPointer<UInt8>, rows: Int, weights: PackedWeights,
        into c: UnsafeMutableBufferPointer<Int32>, path: Path = .automatic
    ) {
        precondition(c.count == rows * weights.outputs, "IntegerGEMM: output count is not rows × outputs")
        let outputs = weights.outputs, stride = weights.paddedOutputs
        let target = UncheckedSendable(c.baseAddress)
        forEachRowPanel(a, rows: rows, weights: weights, path: path) { firstRow, rowCount, tile in
            for row in 0..<rowCount {
                (target.value! + (firstRow + row) * outputs)
                    .update(from: tile + row * stride, count: outputs)
            }
        }
    }

    /// Runs the tile kernel over every row panel and hands each finished `6 × paddedOutputs`
    /// int32 tile (row stride `weights.paddedOutputs`) to `epilogue(firstRow, rowCount, tile)`,
    /// possibly on several threads at once (each call owns its rows).
    static func forEachRowPanel(
        _ a: UnsafeBufferPointer<UInt8>, rows: Int, weights: PackedWeights, path: Path,
        epilogue: (Int, Int, UnsafePointer<Int32>) -> Void
    ) {
        precondition(a.count == rows * weights.inputs, "IntegerGEMM: input count is not rows × inputs")
        guard rows > 0 else { return }
        let usesAVX2 = path == .avx2 && isAVX2Available
        let rowPanels = (rows + tileRows - 1) / tileRows
        let macsPerPanel = tileRows * weights.pairs * 2 * weights.paddedOutputs
        let minimumPanels = Swift.max(1, (1 << 20) / Swift.max(macsPerPanel, 1))
        let input = UncheckedSendable(a)
        weights.storage.withUnsafeBufferPointer { packedWeights in
            Parallelism.forEachChunk(count: rowPanels, minimumChunk: minimumPanels, alignment: 1) {
                panelRange in
                withUnsafeTemporaryAllocation(of: Int16.self, capacity: weights.pairs * 2 * tileRows) {
                    packedRows in
                    withUnsafeTemporaryAllocation(
                        of: Int32.self, capacity: tileRows * weights.paddedOutputs
                    ) { tile in
                        for panel in panelRange {
                            let firstRow = panel * tileRows
                            let rowCount = Swift.min(tileRows, rows - firstRow)
                            packRows(
                                input.value, firstRow: firstRow, rowCount: rowCount,
                                inputs: weights.inputs, pairs: weights.pairs, into: packedRows)
                            if usesAVX2 {
                                cq_gemm_row_panel_avx2(
                                    packedRows.baseAddress, packedWeights.baseAddress,
                                    tile.baseAddress, weights.pairs, weights.panels)
                            } else {
                                PortableTile.multiply(
                                    packedRows: UnsafeBufferPointer(packedRows),
                                    packedWeights: packedWeights, tile: tile,
                                    pairs: weights.pairs, panels: weights.panels)
                            }
                            epilogue(firstRow, rowCount, UnsafePointer(tile.baseAddress!))
                        }
                    }
                }
            }
        }
    }

    /// `packed[pair][row][half] = A[firstRow + row][2·pair + half]`, zeros where rows or the odd
    /// input are missing.
    static func packRows(
        _ a: UnsafeBufferPointer<UInt8>, firstRow: Int, rowCount: Int, inputs: Int, pairs: Int,
        into packed: UnsafeMutableBufferPointer<Int16>
    ) {
        if rowCount < tileRows || inputs % 2 == 1 { packed.update(repeating: 0) }
        let evenInputs = inputs & ~1
        for row in 0..<rowCount {
            let source = a.baseAddress! + (firstRow + row) * inputs
            var target = packed.baseAddress! + 2 * row
            var k = 0
            while k < evenInputs {
                target[0] = Int16(source[k])
                target[1] = Int16(source[k + 1])
                target += 2 * tileRows
                k += 2
            }
            if k < inputs { target[0] = Int16(source[k]) }
        }
    }
}
