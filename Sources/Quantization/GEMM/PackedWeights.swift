import CQuantKernels

/// Int8 weights widened to int16 and laid out once for the GEMM tile: panels of 16 output
/// units, and within a panel, for each pair of inputs (k, k+1), the 16 units' two weights:
///
/// ```
/// storage[panel][pair][column][0 or 1] = W[16·panel + column][2·pair + (0 or 1)]
/// ```
///
/// so the tile reads one contiguous 64-byte line per pair and `vpmaddwd` multiplies each
/// pair with a broadcast pair of input codes. Missing units and the odd input are padded with
/// zeros. The int16 form doubles the resident weights (784×256: 401 KB, in L2 here) but keeps
/// the sign extension out of the inner loop; the stored model stays int8.
public struct PackedWeights: Sendable {
    /// Output units (columns of the product).
    public let outputs: Int
    /// Inputs per unit (the inner dimension).
    public let inputs: Int
    /// `⌈inputs / 2⌉`.
    let pairs: Int
    /// `⌈outputs / 16⌉`.
    let panels: Int
    let storage: [Int16]

    /// Packs; O(outputs · inputs), done once per layer.
    public init(_ weights: QuantizedWeights) {
        let columns = Int(CQ_TILE_COLUMNS)
        outputs = weights.outputs
        inputs = weights.inputs
        pairs = (weights.inputs + 1) / 2
        panels = (weights.outputs + columns - 1) / columns
        var storage = [Int16](repeating: 0, count: panels * pairs * 2 * columns)
        for unit in 0..<weights.outputs {
            let (panel, column) = unit.quotientAndRemainder(dividingBy: columns)
            for input in 0..<weights.inputs {
                let (pair, half) = input.quotientAndRemainder(dividingBy: 2)
                storage[((panel * pairs + pair) * columns + column) * 2 + half] =
                    Int16(weights.values[unit * weights.inputs + input])
            }
        }
        self.storage = storage
    }

    /// Padded outputs: the row stride of a tile, `16 · panels`.
    var paddedOutputs: Int { panels * Int(CQ_TILE_COLUMNS) }
}
