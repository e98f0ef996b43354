import CQuantKernels

/// Int8 weights laid out once for the GEMM tile, in panels of 16 output units. Two layouts,
/// chosen by the weights and the CPU, both exact:
///
/// ```
/// pairs (any int8):   storage[panel][pair][column][0…1] = Int16(W[16·panel + column][2·pair + i])
/// quads (any int8):   storage[panel][quad][column][0…3] = W[16·panel + column][4·quad + i]
/// ```
///
/// *Quads* keep int8. With AVX-512 VNNI, `vpdpbusd` adds four u8·s8 products straight into
/// int32, exact for any weights, so every layer is packed this way on such a CPU. On AVX2
/// alone the quad kernel is `vpmaddubsw`, which adds two products in int16 with saturation:
/// with |w| ≤ 64 the pair is at most 2·255·64 = 32640 < 2^15, so it cannot saturate, and the
/// kernel does 32 multiply-adds per two instructions, about 1.25× faster than pairs. Weights
/// quantised with ``WeightPrecision/bits7`` (ONNX Runtime's `reduce_range`) always qualify;
/// wider weights take *pairs*, widened to int16 for `vpmaddwd` (16 multiply-adds per
/// instruction, never saturates). Missing units and inputs are padded with zeros. The pair
/// layout doubles the resident weights (784×256: 401 KB, in L2 here); the stored model stays
/// int8.
public struct PackedWeights: Sendable {
    /// How the weights are laid out, and so which tile kernel multiplies them.
    public enum Layout: Sendable, Hashable {
        /// int16 pairs, `vpmaddwd`.
        case pairs
        /// int8 quads: `vpdpbusd` (AVX-512 VNNI), or `vpmaddubsw` when every |w| ≤ 64.
        case quads
    }

    /// Output units (columns of the product).
    public let outputs: Int
    /// Inputs per unit (the inner dimension).
    public let inputs: Int
    /// The layout chosen for these weights.
    public let layout: Layout
    /// Whether every |w| ≤ 64, so that the AVX2 quad kernel (`vpmaddubsw`) cannot saturate.
    public let fitsSaturatingQuads: Bool
    /// Inner-dimension groups: `⌈inputs / 2⌉` pairs or `⌈inputs / 4⌉` quads.
    let groups: Int
    /// `⌈outputs / 16⌉`.
    let panels: Int
    /// The pair layout's values (empty for quads).
    let pairStorage: [Int16]
    /// The quad layout's values (empty for pairs).
    let quadStorage: [Int8]

    /// The largest |w| for which `vpmaddubsw` cannot saturate.
    public static let quadLimit = 64

    /// Packs in the layout of the fastest exact kernel on this CPU: quads with AVX-512 VNNI or
    /// when every |w| ≤ 64, pairs otherwise; O(outputs · inputs), done once per layer.
    public init(_ weights: QuantizedWeights) {
        let fits = Self.fitsSaturatingQuads(weights)
        self.init(weights, layout: fits || IntegerGEMM.isVNNIAvailable ? .quads : .pairs)
    }

    private static func fitsSaturatingQuads(_ weights: QuantizedWeights) -> Bool {
        weights.values.allSatisfy { Int($0).magnitude <= quadLimit }
    }

    /// Packs in a given layout. Quads with some |w| > 64 run on the VNNI kernel, or on the
    /// portable one where the CPU lacks VNNI (never on `vpmaddubsw`).
    public init(_ weights: QuantizedWeights, layout: Layout) {
        fitsSaturatingQuads = Self.fitsSaturatingQuads(weights)
        let columns = Int(CQ_TILE_COLUMNS)
        let width = layout == .pairs ? 2 : 4
        outputs = weights.outputs
        inputs = weights.inputs
        self.layout = layout
        groups = (weights.inputs + width - 1) / width
        panels = (weights.outputs + columns - 1) / columns
        let count = panels * groups * width * columns
        var pairs = [Int16](repeating: 0, count: layout == .pairs ? count : 0)
        var quads = [Int8](repeating: 0, count: layout == .quads ? count : 0)
        for unit in 0..<weights.outputs {
            let (panel, column) = unit.quotientAndRemainder(dividingBy: columns)
            for input in 0..<weights.inputs {
                let (group, lane) = input.quotientAndRemainder(dividingBy: width)
                let index = ((panel * groups + group) * columns + column) * width + lane
                let value = weights.values[unit * weights.inputs + input]
                if layout == .pairs {
                    pairs[index] = Int16(value)
                } else {
                    quads[index] = value
                }
            }
        }
        pairStorage = pairs
        quadStorage = quads
    }

    /// Values per group of the inner dimension: 2 (pairs) or 4 (quads).
    var groupWidth: Int { layout == .pairs ? 2 : 4 }

    /// Padded outputs: the row stride of a tile, `16 · panels`.
    var paddedOutputs: Int { panels * Int(CQ_TILE_COLUMNS) }
}
