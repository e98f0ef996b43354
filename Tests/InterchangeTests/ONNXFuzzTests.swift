import Activations
import Interchange
import Networks
import Runtime
import Testing

/// Seeded random mutations of valid models: the reader must either accept (and then the
/// network must survive a write and a re-read unchanged) or throw a one-line ``ONNXError``;
/// never crash, hang or allocate beyond a small multiple of the input.
@Suite struct ONNXFuzzTests {
    static let inputCount = 60_000

    @Test func mutatedModelsAreAcceptedWholeOrRefusedCleanly() throws {
        var generator = SeededGenerator(seed: 2_025)
        let seeds = try onnxFuzzSeeds()
        var accepted = 0
        var rejected = 0
        for _ in 0..<Self.inputCount {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                mutateONNX(&bytes, using: &generator)
            }
            do {
                let network = try ONNXModel(onnx: bytes)
                accepted += 1
                #expect(try ONNXModel(onnx: network.onnxBytes()) == network)
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty && !error.description.contains("\n"))
            }
        }
        // Both outcomes must be exercised, or the mutations test nothing.
        #expect(accepted > Self.inputCount / 100)
        #expect(rejected > Self.inputCount / 2)
    }
}

/// Small valid models covering every operator and storage form the reader takes.
func onnxFuzzSeeds() throws -> [[UInt8]] {
    let B = ONNXBuild.self
    var seeds = try [
        sampleNetwork(try .leakyReLU(negativeSlope: 0.1), inputs: 3, hidden: 2, outputs: 2, prelu: [0.5, 0.25], softmax: true),
        sampleNetwork(try .softplus(beta: 2), inputs: 2, hidden: 2, outputs: 1, precision: .float64),
        sampleNetwork(.tanh, inputs: 2, hidden: 3, outputs: 2, prelu: [0.1]),
    ].map { $0.onnxBytes() }
    seeds.append(B.gemmRelu(
        weights: B.tensor("w", [3, 2], floats: [1, 2, 3, 4, 5, 6], raw: false),
        gemmAttributes: [B.attribute("alpha", float: 0.5), B.attribute("beta", float: 2)]))
    seeds.append(B.chain(
        [
            B.node("Flatten", ["x"], ["f"], name: "flatten"),
            B.node("MatMul", ["f", "w"], ["m"], name: "mm"),
            B.node("Add", ["m", "b"], ["h"], name: "add"),
            B.node("Constant", [], ["s"], attributes: [B.attribute("value", tensor: B.tensor("", [2], ints: [-1, 2]))]),
            B.node("Reshape", ["h", "s"], ["r"]),
            B.node("Sigmoid", ["r"], ["a"]),
            B.node("Abs", ["a"], ["i"]),
            B.node("Identity", ["i"], ["y"]),
        ],
        initializers: [B.tensor("w", [4, 2], floats: [1, -1, 2, -2, 3, -3, 4, -4]), B.tensor("b", [2], floats: [0.5, 1])],
        inputDims: [.parameter("N"), .value(2), .value(2)], opset: 17))
    return seeds
}

/// One random change: a bit flip, an interesting byte, a cut, a tail or insertion of
/// garbage, a repeated or removed slice, or an operator name swapped for another.
func mutateONNX(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
    let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x05, 0x07, 0x08, 0x0A, 0x12, 0x1A, 0x7F, 0x80, 0xFF]
    let names = ["Gemm", "Relu", "Tanh", "Conv", "Add", "Mul", "Div", "PRelu", "Softmax", "Flatten", "Reshape", "MatMul"]
    guard !bytes.isEmpty else {
        bytes = [UInt8.random(in: 0...255, using: &generator)]
        return
    }
    let index = Int.random(in: 0..<bytes.count, using: &generator)
    switch Int.random(in: 0..<8, using: &generator) {
    case 0:
        bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
    case 1:
        bytes[index] = interesting.randomElement(using: &generator)!
    case 2:
        bytes.removeLast(Int.random(in: 0...min(bytes.count, 64), using: &generator))
    case 3:
        let garbage = (0..<Int.random(in: 1...8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.insert(contentsOf: garbage, at: index)
    case 4:
        let end = min(bytes.count, index + Int.random(in: 1...32, using: &generator))
        bytes.insert(contentsOf: bytes[index..<end], at: end)
    case 5:
        bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...8, using: &generator)))
    case 6:
        bytes[index] = bytes[index] &+ UInt8.random(in: 1...3, using: &generator)
    default:
        // Same length, so the protobuf lengths stay consistent and the reader gets past them.
        let name = Array(names.randomElement(using: &generator)!.utf8)
        let replacement = names.filter { $0.utf8.count == name.count }.randomElement(using: &generator)!
        if let start = firstRange(of: name, in: bytes) {
            bytes.replaceSubrange(start..<(start + name.count), with: Array(replacement.utf8))
        }
    }
}

private func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}
