// Times every activation kernel of the family, forward and backward, on one thread, and
// prints one JSON object per line: first {"instruction_set"} (the set the dispatched kernels
// chose on this CPU), then {"op", "direction", "elements", "ns_per_element"} per kernel.
//
//     kernel-speed [elements …] [op …]     (default 16777216 65536, every op)
import Activations
import Runtime

let operations: [(name: String, activation: Activation)] = [
    ("relu", .relu), ("leaky_relu", try! .leakyReLU(negativeSlope: 0.01)), ("abs", .abs),
    ("softplus", .softplus), ("sigmoid", .sigmoid), ("tanh", .tanh),
    ("gelu", .gelu), ("gelu_tanh", .gelu(GELU(approximation: .tanh))), ("silu", .silu),
    ("elu", .elu), ("selu", .selu), ("mish", .mish),
]

let arguments = CommandLine.arguments.dropFirst()
let sizes = arguments.compactMap { Int($0) }.filter { $0 > 0 }
let chosen = operations.filter { arguments.contains($0.name) }

/// The median ns/element of `body` over at least 7 calls and 0.2 s.
func nanosecondsPerElement(_ count: Int, _ body: () -> Void) -> Double {
    Timing.measure(warmUps: 1, calls: 7, atLeast: 0.2, body).median * 1e9 / Double(count)
}

print(#"{"instruction_set": "\#(InstructionSet.best)"}"#)
Execution.serial.run {
    for count in sizes.isEmpty ? [1 << 24, 1 << 16] : sizes {
        // Inputs spread over [−8, 8], where every branch of the kernels is taken.
        let input = (0..<count).map { Float($0 % 4099) / 256 - 8 }
        let gradient = [Float](repeating: 0.5, count: count)
        var output = [Float](repeating: 0, count: count)
        input.withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                output.withUnsafeMutableBufferPointer { y in
                    for (name, activation) in chosen.isEmpty ? operations : chosen {
                        let forward = nanosecondsPerElement(count) { activation.forward(x, into: y) }
                        let backward = nanosecondsPerElement(count) {
                            activation.backward(saved: x, gradientOutput: g, into: y)
                        }
                        for (direction, time) in [("forward", forward), ("backward", backward)] {
                            print(#"{"op": "\#(name)", "direction": "\#(direction)", "elements": \#(count), "ns_per_element": \#(time)}"#)
                        }
                    }
                }
            }
        }
    }
}
