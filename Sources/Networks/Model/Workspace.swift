import Activations
import CGEMMKernels
import Runtime

/// Where each layer boundary's values and gradients live during a forward and backward
/// pass, decided once per architecture.
///
/// Boundary i is the input of layer i (boundary 0 the network input, boundary L the
/// output). An activation that keeps only its output (ReLU, leaky with α ≥ 0, identity)
/// overwrites its input in place, unless its input is the network input or the previous
/// layer still needs that buffer (an activation that kept its own output). Activation and
/// PReLU layers also write their input gradient over their output gradient.
struct WorkspacePlan: Sendable {
    /// Columns at each boundary, 0...L.
    let widths: [Int]
    /// The value slot of each boundary; boundary 0 has none (the caller's input).
    let valueSlots: [Int?]
    /// The gradient slot of each boundary.
    let gradientSlots: [Int]

    init(_ layers: [LayerDescription]) {
        var widths = [layers[0].inputSize]
        var valueSlots: [Int?] = [nil]
        var gradientSlots = [0]
        var nextValueSlot = 0, nextGradientSlot = 1
        for (index, layer) in layers.enumerated() {
            widths.append(layer.outputSize)
            if case .activation(let f, _) = layer, f.savedForBackward == .output, index > 0,
                !Self.keepsOutput(layers[index - 1])
            {
                valueSlots.append(valueSlots[index])
            } else {
                valueSlots.append(nextValueSlot)
                nextValueSlot += 1
            }
            gradientSlots.append(nextGradientSlot)
            nextGradientSlot += 1
        }
        // Elementwise layers (after the first) write their input gradient in place.
        for (index, layer) in layers.enumerated().reversed() where index > 0 && layer.isElementwise {
            gradientSlots[index] = gradientSlots[index + 1]
        }
        self.widths = widths
        self.valueSlots = valueSlots
        self.gradientSlots = gradientSlots
    }

    private static func keepsOutput(_ layer: LayerDescription) -> Bool {
        if case .activation(let f, _) = layer { return f.savedForBackward == .output }
        return false
    }
}

/// The buffers of a plan for up to `capacity` rows; a smaller batch uses a prefix of each.
/// Allocated once per model and grown (never shrunk) when a larger batch comes.
final class Workspace<Scalar: ActivationScalar> {
    let plan: WorkspacePlan
    private(set) var capacity = 0
    private var valueStorage: [AlignedStorage<Scalar>] = []
    private var gradientStorage: [AlignedStorage<Scalar>?]
    private var inputStorage: AlignedStorage<Scalar>?
    private var scratchStorage: AlignedStorage<Scalar>?
    /// Dropout masks by layer index, `capacity` rows each.
    private var maskStorage: [Int: AlignedStorage<Scalar>] = [:]
    /// Parameters in the forms inference uses (``derived(_:version:count:_:)``) by layer index,
    /// with the ``ParameterStore/version`` they were made at.
    private var derivedStorage: [Int: (derived: AlignedStorage<Float>, version: Int)] = [:]

    init(plan: WorkspacePlan) {
        self.plan = plan
        gradientStorage = Array(repeating: nil, count: plan.gradientSlots.count)
    }

    /// Makes room for `rows` rows (reallocating every buffer when it grows).
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        capacity = rows
        var valueWidths: [Int: Int] = [:]
        for (boundary, slot) in plan.valueSlots.enumerated() {
            if let slot { valueWidths[slot] = Swift.max(valueWidths[slot] ?? 0, plan.widths[boundary]) }
        }
        valueStorage = (0..<valueWidths.count).map { AlignedStorage(count: rows * valueWidths[$0]!) }
        var gradientWidths: [Int: Int] = [:]
        for (boundary, slot) in plan.gradientSlots.enumerated() {
            gradientWidths[slot] = Swift.max(gradientWidths[slot] ?? 0, plan.widths[boundary])
        }
        // Slot 0 (the network input's gradient) is only made when someone asks for it.
        let hadInputGradient = gradientStorage[0] != nil
        gradientStorage = Array(repeating: nil, count: plan.gradientSlots.count)
        for (slot, width) in gradientWidths where slot != 0 || hadInputGradient {
            gradientStorage[slot] = AlignedStorage(count: rows * width)
        }
        if inputStorage != nil { inputStorage = AlignedStorage(count: rows * plan.widths[0]) }
        maskStorage = [:]
    }

    /// The dropout mask of layer `layer` (its output width), first `rows` rows.
    func mask(_ layer: Int, rows: Int) -> UnsafeMutablePointer<Scalar> {
        if let storage = maskStorage[layer] { return storage.base }
        let storage = AlignedStorage<Scalar>(count: capacity * plan.widths[layer + 1], zeroed: false)
        maskStorage[layer] = storage
        return storage.base
    }

    /// The values at boundary `boundary` ≥ 1, first `rows` rows.
    @inline(__always)
    func values(_ boundary: Int, rows: Int) -> MatrixBuffer<Scalar> {
        MatrixBuffer(valueStorage[plan.valueSlots[boundary]!].base, rows: rows, columns: plan.widths[boundary])
    }

    /// The gradient at boundary `boundary`, first `rows` rows.
    @inline(__always)
    func gradient(_ boundary: Int, rows: Int) -> MatrixBuffer<Scalar> {
        let slot = plan.gradientSlots[boundary]
        if gradientStorage[slot] == nil {
            gradientStorage[slot] = AlignedStorage(count: capacity * plan.widths[boundary])
        }
        return MatrixBuffer(gradientStorage[slot]!.base, rows: rows, columns: plan.widths[boundary])
    }

    /// The convolutions' scratch for `geometry` at the current thread count.
    func scratch(_ geometry: Convolution2D) -> UnsafeMutableBufferPointer<Scalar> {
        scratch(count: geometry.scratchCount(threads: Execution.current.threads)!)
    }

    /// Scratch of at least `count` scalars, shared by the convolutions (grown, never shrunk;
    /// the model's memory check counts the largest on every processor).
    func scratch(count: Int) -> UnsafeMutableBufferPointer<Scalar> {
        if (scratchStorage?.buffer.count ?? -1) < count { scratchStorage = AlignedStorage(count: count, zeroed: false) }
        return scratchStorage!.buffer
    }

    /// Layer `layer`'s Float weight packed for ``Dense/packedForward(_:input:)``, made at
    /// parameter version `version`, or nil when `Scalar` is not Float or the CPU has neither
    /// AVX2 + FMA nor AVX-512.
    func packedWeight(_ layer: Int, _ weight: MatrixBuffer<Scalar>, version: Int) -> UnsafePointer<Float>? {
        guard Scalar.self == Float.self, rect_gemm_panel_width() > 0 else { return nil }
        let floats = UnsafeRawPointer(weight.base).assumingMemoryBound(to: Float.self)
        return derived(layer, version: version, count: rect_gemm_packed_count(weight.rows, weight.columns)) {
            rect_gemm_pack(floats, weight.rows, weight.columns, weight.columns, $0)
        }
    }

    /// Layer `layer`'s parameters in a form made for inference (packed, folded): `count`
    /// Floats written by `make`, kept with the ``ParameterStore/version`` `version` they were
    /// made at and remade when a call brings another version.
    func derived(_ layer: Int, version: Int, count: Int, _ make: (UnsafeMutablePointer<Float>) -> Void)
        -> UnsafePointer<Float>
    {
        if let cached = derivedStorage[layer], cached.version == version { return UnsafePointer(cached.derived.base) }
        let form = derivedStorage[layer]?.derived ?? AlignedStorage<Float>(count: count, zeroed: false)
        make(form.base)
        derivedStorage[layer] = (form, version)
        return UnsafePointer(form.base)
    }

    /// A buffer to hold a copy of the network input (for callers whose input does not
    /// outlive the backward pass).
    func inputCopy(rows: Int) -> MatrixBuffer<Scalar> {
        if inputStorage == nil { inputStorage = AlignedStorage(count: capacity * plan.widths[0]) }
        return MatrixBuffer(inputStorage!.base, rows: rows, columns: plan.widths[0])
    }
}
