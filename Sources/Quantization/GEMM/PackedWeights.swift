import CQuantKernels

/// Int8 weights laid out once for the GEMM tile, in panels of 16 output units. Two layouts,
/// chosen by the weights themselves, both exact:
///
/// ```
/// pairs (any int8):   storage[panel][pair][column][0…1] = Int16(W[16·panel + column][2·pair + i])
/// quads (|w| ≤ 64):   storage[panel][quad][column][0…3] = W[16·panel + column][4·quad + i]
/// ```
///
/// *Pairs* widen to int16 for `vpmaddwd` (16 multiply-adds per instruction, never saturates).
/// *Quads* keep int8 for `vpmaddubsw`, which adds two u8·s8 products in int16 with saturation:
/// with |w| ≤ 64 the pair is at most 2·255·64 = 32640 < 2^15, so it cannot saturate, and the
/// kernel does 32 multiply-adds per two instructions, about 1.25× faster here. Weights
/// quantised with ``WeightPrecision/bits7`` (ONNX Runtime's `reduce_range`) always qualify.
/// Missing units and inputs are padded with zeros. The pair layout doubles the resident
/// weights (784×256: 401 KB, in L2 here); the stored model stays int8.
public struct PackedWeights: Sendable {
    /// How the weights are laid out, and so which tile kernel multiplies them.
    public enum Layout: Sendable, Hashable {
        /// int16 pairs, `vpmaddwd`.
        case pairs
        /// int8 quads, `vpmaddubsw` (only when every |w| ≤ 64).
        case quads
    }

    /// Output units (columns of the product).
    public let outputs: Int
    /// Inputs per unit (the inner dimension).
    public let inputs: Int
    /// The layout chosen for these weights.
    public let layout: Layout
    /// Inner-dimension groups: `⌈inputs / 2⌉` pairs or `⌈inputs / 4⌉` quads.
    let groups: Int
    /// `⌈outputs / 16⌉`.
    let panels: Int
    /// The pair layout's values (empty for quads).
    let pairStorage: [Int16]
    /// The quad layout's values (empty for pairs).
    let quadStorage: [Int8]

    /// The largest |w| the quad layout accepts.
    public static let quadLimit = 64

    /// Packs; O(outputs · inputs), done once per layer.
    public init(_ weights: QuantizedWeights) {
        let fitsQuads = weights.values.allSatisfy { Int($0).magnitude <= Self.quadLimit }
        self.init(weights, layout: fitsQuads ? .quads : .pairs)
    }

    /// Packs in a given layout.
    /// - Precondition: `.quads` only for weights with every |w| ≤ 64.
    public init(_ weights: QuantizedWeights, layout: Layout) {
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
                    precondition(Int(value).magnitude <= Self.quadLimit, "PackedWeights: |w| > 64 in quads")
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
