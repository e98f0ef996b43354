import Activations
import CQuantKernels
import Runtime

/// The 8-bit integer matrix product, uint8 codes times int8 weights into exact int32:
///
/// ```
/// C[r][j] = Σ_k A[r][k] · W[j][k]      A: rows × inputs (uint8), W: outputs × inputs (int8)
/// ```
///
/// Three kernels, chosen once from the CPU's features, all exact:
/// - AVX-512 VNNI (`vpdpbusd`, Intel Ice Lake and later, AMD Zen 4 and later): four u8·s8
///   products added straight into each int32 lane, for any int8 weights; 64 multiply-adds
///   per instruction.
/// - AVX2: any int8 weights widened to int16 and multiplied in pairs with `vpmaddwd`
///   (`_mm256_madd_epi16`), whose pair sums of 8-bit products cannot saturate. AVX2's faster
///   `vpmaddubsw` saturates when a pair sums past 32767 (255·127·2 = 64770), so it is used
///   only for weights with |w| ≤ 64 (7-bit weights, ``WeightPrecision/bits7``), where it
///   cannot (see ``PackedWeights``).
/// - Portable Swift SIMD for any CPU.
///
/// The sums wrap modulo 2^32 like every int32 add, so all paths give identical integers for
/// any input; ``QuantizedWeights/maximumInputs`` keeps the true sums inside int32.
///
/// The work is split into row panels of 6 (the register tile is 6 rows × 16 units, 6 × 32 with
/// VNNI); each panel streams every weight panel from cache. The VNNI kernel reads the rows in
/// place and finishes each tile (bias, requantisation, activation) while it is in registers;
/// the others widen or regroup a panel's rows first and hand the finished int32 tile to Swift.
/// Row panels are spread over ``Execution/threads`` threads when there is enough work.
public enum IntegerGEMM {
    /// Which tile kernel runs.
    public enum Path: String, Sendable, CaseIterable {
        /// The C kernels with AVX-512 VNNI (`vpdpbusd`) for the quad layout and AVX2 for the
        /// rest; on a CPU without VNNI it is ``avx2``.
        case avx512vnni
        /// The C kernels with AVX2 intrinsics (`vpmaddwd`, `vpmaddubsw`); on a CPU without AVX2
        /// it falls back to ``portable``.
        case avx2
        /// Plain Swift SIMD, for any CPU.
        case portable

        /// The fastest path this CPU runs: AVX-512 VNNI, else AVX2, else portable.
        public static var automatic: Path {
            isVNNIAvailable ? .avx512vnni : isAVX2Available ? .avx2 : .portable
        }

        /// Whether this path runs the AVX2 C kernels (quantisation, requantisation, pairs).
        var usesAVX2: Bool { self != .portable && isAVX2Available }

        /// Whether this path runs the VNNI kernels for the quad layout.
        var usesVNNI: Bool { self == .avx512vnni && isVNNIAvailable }
    }

    /// Whether this CPU (and its operating system) runs AVX2 code.
    public static let isAVX2Available: Bool = cq_cpu_has_avx2() != 0

    /// Whether this CPU (and its operating system) runs AVX-512 F/BW/VL code with VNNI.
    public static let isVNNIAvailable: Bool = cq_cpu_has_avx512_vnni() != 0

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
        if dense(a, rows: rows, weights: weights, path: path, bias: nil, requantizer: nil, codes: nil, sums: c.baseAddress) {
            return
        }
        let outputs = weights.outputs, stride = weights.paddedOutputs
        let target = UncheckedSendable(c.baseAddress)
        forEachRowPanel(a, rows: rows, weights: weights, path: path) { firstRow, rowCount, tile in
            for row in 0..<rowCount {
                (target.value! + (firstRow + row) * outputs)
                    .update(from: tile + row * stride, count: outputs)
            }
        }
    }

    /// The fused VNNI layer, `cq_dense_u8s8_vnni`, over row panels spread on the threads: the
    /// rows are read in place (no packing), and each 6 × 32 tile of sums leaves the registers
    /// through the epilogue, as `sums` (+ `bias`) or, with `requantizer`, as `codes`. Runs only
    /// where the kernel is VNNI and the batch is larger than the one-row kernel's; returns
    /// false (having done nothing) otherwise.
    static func dense(
        _ a: UnsafeBufferPointer<UInt8>, rows: Int, weights: PackedWeights, path: Path,
        bias: UnsafePointer<Int32>?, requantizer: UnsafePointer<cq_requantizer>?,
        codes: UnsafeMutablePointer<UInt8>?, sums: UnsafeMutablePointer<Int32>?
    ) -> Bool {
        let kernel = Kernel(path, layout: weights.layout, saturationFree: weights.fitsSaturatingQuads)
        guard kernel == .vnni, rows > kernel.rowsForOneRowKernel(weights.layout) else { return false }
        precondition(a.count == rows * weights.inputs, "IntegerGEMM: input count is not rows × inputs")
        let inputs = weights.inputs, units = weights.outputs, panels = weights.panels
        let rowPanels = (rows + tileRows - 1) / tileRows
        let macsPerPanel = tileRows * weights.groups * 4 * weights.paddedOutputs
        let minimumPanels = Swift.max(1, (1 << 20) / Swift.max(macsPerPanel, 1))
        let pointers = UncheckedSendable((a.baseAddress!, bias, requantizer, codes, sums))
        weights.quadStorage.withUnsafeBufferPointer { quads in
            let packed = UncheckedSendable(quads.baseAddress!)
            Execution.current.forEachChunk(count: rowPanels, minimumChunk: minimumPanels, alignment: 1) {
                panelRange in
                let (input, bias, requantizer, codes, sums) = pointers.value
                let first = panelRange.lowerBound * tileRows
                let count = Swift.min(panelRange.upperBound * tileRows, rows) - first
                cq_dense_u8s8_vnni(
                    input + first * inputs, count, inputs, packed.value, panels, bias, requantizer,
                    units, codes.map { $0 + first * units }, sums.map { $0 + first * units })
            }
        }
        return true
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
        let rowPanels = (rows + tileRows - 1) / tileRows
        let macsPerPanel = tileRows * weights.groups * weights.groupWidth * weights.paddedOutputs
        let minimumPanels = Swift.max(1, (1 << 20) / Swift.max(macsPerPanel, 1))
        let input = UncheckedSendable(a)
        let kernel = Kernel(path, layout: weights.layout, saturationFree: weights.fitsSaturatingQuads)
        // Both layouts hold 4 bytes per row and group: two int16 or four uint8.
        let panelBytes = weights.groups * tileRows * 4
        weights.pairStorage.withUnsafeBufferPointer { pairWeights in
            weights.quadStorage.withUnsafeBufferPointer { quadWeights in
                Execution.current.forEachChunk(count: rowPanels, minimumChunk: minimumPanels, alignment: 1) {
                    panelRange in
                    withUnsafeTemporaryAllocation(byteCount: panelBytes, alignment: 64) { packedRows in
                        withUnsafeTemporaryAllocation(
                            of: Int32.self, capacity: tileRows * weights.paddedOutputs
                        ) { tile in
                            for panel in panelRange {
                                let firstRow = panel * tileRows
                                let rowCount = Swift.min(tileRows, rows - firstRow)
                                multiplyPanel(
                                    input.value, firstRow: firstRow, rowCount: rowCount,
                                    weights: weights, pairWeights: pairWeights,
                                    quadWeights: quadWeights, packedRows: packedRows,
                                    tile: tile, kernel: kernel)
                                epilogue(firstRow, rowCount, UnsafePointer(tile.baseAddress!))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The kernel one multiplication runs, from the path asked for, the CPU and the layout.
    enum Kernel {
        case vnni, avx2, portable

        init(_ path: Path, layout: PackedWeights.Layout, saturationFree: Bool) {
            if layout == .quads && path.usesVNNI {
                self = .vnni
            } else if path.usesAVX2 && (layout == .pairs || saturationFree) {
                self = .avx2
            } else {
                // Includes quads with |w| > 64 on a CPU without VNNI: `vpmaddubsw` would saturate.
                self = .portable
            }
        }

        /// Up to this many rows, one-row kernels beat the 6-row tile, which computes 6 rows
        /// whatever the count. 784×256 quads on AMD EPYC Zen 4 (C kernels timed alone, no
        /// other load): one row 1.8 µs (VNNI) / 1.9 µs (AVX2), the tile 5.2 / 10.7 µs; pairs,
        /// on AMD EPYC Zen 3: one row 4.4 µs, the tile 15 µs.
        func rowsForOneRowKernel(_ layout: PackedWeights.Layout) -> Int {
            switch self {
            case .portable: 0
            case .vnni: 2
            case .avx2: layout == .pairs ? 3 : 5
            }
        }
    }

    /// Multiplies one row panel by every weight panel into `tile` (packing the rows first, but
    /// for VNNI).
    private static func multiplyPanel(
        _ a: UnsafeBufferPointer<UInt8>, firstRow: Int, rowCount: Int, weights: PackedWeights,
        pairWeights: UnsafeBufferPointer<Int16>, quadWeights: UnsafeBufferPointer<Int8>,
        packedRows: UnsafeMutableRawBufferPointer, tile: UnsafeMutableBufferPointer<Int32>,
        kernel: Kernel
    ) {
        let rows = a.baseAddress! + firstRow * weights.inputs
        let stride = weights.paddedOutputs
        if rowCount <= kernel.rowsForOneRowKernel(weights.layout) {
            for row in 0..<rowCount {
                multiplyOneRow(
                    rows + row * weights.inputs, weights: weights, pairWeights: pairWeights,
                    quadWeights: quadWeights, scratch: packedRows, vnni: kernel == .vnni,
                    into: tile.baseAddress! + row * stride)
            }
            return
        }
        if kernel == .vnni {  // the rows in place, the tile with row stride `paddedOutputs`
            cq_dense_u8s8_vnni(
                rows, rowCount, weights.inputs, quadWeights.baseAddress, weights.panels, nil, nil,
                stride, nil, tile.baseAddress)
            return
        }
        switch weights.layout {
        case .pairs:
            let packed = packedRows.bindMemory(to: Int16.self)
            packPairs(rows, rowCount: rowCount, inputs: weights.inputs, into: packed)
            if kernel == .avx2 {
                cq_gemm_row_panel_avx2(
                    packed.baseAddress, pairWeights.baseAddress, tile.baseAddress,
                    weights.groups, weights.panels)
            } else {
                PortableTile.multiplyPairs(
                    packedRows: UnsafeBufferPointer(packed), packedWeights: pairWeights,
                    tile: tile, pairs: weights.groups, panels: weights.panels)
            }
        case .quads:
            let packed = packedRows.bindMemory(to: UInt8.self)
            packQuads(rows, rowCount: rowCount, inputs: weights.inputs, into: packed)
            if kernel == .avx2 {
                cq_gemm_row_panel_u8s8_avx2(
                    packed.baseAddress, quadWeights.baseAddress, tile.baseAddress,
                    weights.groups, weights.panels)
            } else {
                PortableTile.multiplyQuads(
                    packedRows: UnsafeBufferPointer(packed), packedWeights: quadWeights,
                    tile: tile, quads: weights.groups, panels: weights.panels)
            }
        }
    }

    /// One row through a one-row C kernel: `out[j] = Σ_k row[k]·W[j][k]` for all padded
    /// outputs. `scratch` receives the row widened (pairs) or zero-padded (quads).
    private static func multiplyOneRow(
        _ row: UnsafePointer<UInt8>, weights: PackedWeights,
        pairWeights: UnsafeBufferPointer<Int16>, quadWeights: UnsafeBufferPointer<Int8>,
        scratch: UnsafeMutableRawBufferPointer, vnni: Bool, into out: UnsafeMutablePointer<Int32>
    ) {
        let inputs = weights.inputs
        switch weights.layout {
        case .pairs:
            let widened = scratch.bindMemory(to: Int16.self)
            for k in 0..<inputs { widened[k] = Int16(row[k]) }
            if inputs % 2 != 0 { widened[inputs] = 0 }
            cq_gemv_pairs_avx2(
                widened.baseAddress, pairWeights.baseAddress, out, weights.groups, weights.panels)
        case .quads:
            let padded = scratch.bindMemory(to: UInt8.self)
            padded.baseAddress!.update(from: row, count: inputs)
            for k in inputs..<weights.groups * 4 { padded[k] = 0 }
            if vnni {
                cq_gemv_quads_vnni(
                    padded.baseAddress, quadWeights.baseAddress, out, weights.groups, weights.panels)
            } else {
                cq_gemv_quads_avx2(
                    padded.baseAddress, quadWeights.baseAddress, out, weights.groups, weights.panels)
            }
        }
    }

    /// `packed[pair][row][i] = rows[row][2·pair + i]`, zeros where rows or inputs are missing.
    static func packPairs(
        _ rows: UnsafePointer<UInt8>, rowCount: Int, inputs: Int,
        into packed: UnsafeMutableBufferPointer<Int16>
    ) {
        if rowCount < tileRows || inputs % 2 != 0 { packed.update(repeating: 0) }
        let whole = inputs & ~1
        for row in 0..<rowCount {
            let source = rows + row * inputs
            var target = packed.baseAddress! + 2 * row
            var k = 0
            while k < whole {
                // Two codes widened to two little-endian int16 in one 32-bit store.
                let two = UInt32(UnsafeRawPointer(source + k).loadUnaligned(as: UInt16.self))
                UnsafeMutableRawPointer(target).storeBytes(
                    of: (two & 0xFF) | (two & 0xFF00) << 8, as: UInt32.self)
                target += 2 * tileRows
                k += 2
            }
            if k < inputs { target[0] = Int16(source[k]) }
        }
    }

    /// `packed[quad][row][i] = rows[row][4·quad + i]`, zeros where rows or inputs are missing.
    static func packQuads(
        _ rows: UnsafePointer<UInt8>, rowCount: Int, inputs: Int,
        into packed: UnsafeMutableBufferPointer<UInt8>
    ) {
        if rowCount < tileRows || inputs % 4 != 0 { packed.update(repeating: 0) }
        let whole = inputs & ~3
        for row in 0..<rowCount {
            let source = rows + row * inputs
            var target = packed.baseAddress! + 4 * row
            var k = 0
            while k < whole {
                let four = UnsafeRawPointer(source + k).loadUnaligned(as: UInt32.self)
                UnsafeMutableRawPointer(target).storeBytes(of: four, as: UInt32.self)
                target += 4 * tileRows
                k += 4
            }
            for lane in 0..<(inputs - k) { target[lane] = source[k + lane] }
        }
    }
}
