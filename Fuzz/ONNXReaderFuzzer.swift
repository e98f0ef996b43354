// libFuzzer harness for the ONNX reader; not built by the package. Run from the repo root:
//
//   make fuzz-onnx FUZZ_RUNS=1000000
//
// which builds the Interchange module and its dependencies with coverage and
// AddressSanitizer (`swift build --sanitize=fuzzer --sanitize=address`, in .build-fuzz),
// links this file against their objects, and runs it on the seeds in Fuzz/Seeds/onnx with
// the tokens of Fuzz/onnx.dict, 5 s per input and 1 GB of memory at most. A finding is a
// crash, an AddressSanitizer report, a timeout or an out-of-memory, saved as
// crash-*/timeout-*/oom-*.
import Interchange
import Networks

/// Each input must be refused with an `ONNXError` or accepted whole: then the network
/// survives a write and a re-read unchanged, and a small one evaluates, becomes a
/// Rectifier model and predicts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNXReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let network = try? PortableNetwork(onnx: bytes) else { return 0 }
    guard let reread = try? PortableNetwork(onnx: network.onnxBytes()), reread == network else {
        fatalError("an accepted model does not survive a write and a re-read")
    }
    if network.inputSize <= 4096 {
        let outputs = try? network.evaluate([Double](repeating: 0.5, count: 2 * network.inputSize), batchSize: 2)
        precondition(outputs?.count == 2 * network.outputSize)
        guard let model = try? Sequential<Float>(network) else {
            fatalError("an accepted model does not map to a Rectifier model")
        }
        let input = Matrix<Float>(rows: 2, columns: network.inputSize)
        precondition((try? model.predict(input))?.scalars.count == 2 * network.outputSize)
    }
    return 0
}
