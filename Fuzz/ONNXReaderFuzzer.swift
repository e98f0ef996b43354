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

/// Each input must be refused with an `ONNXError` or accepted whole: then the model
/// survives a write and a re-read unchanged, and a small one computes its reference outputs
/// in Double and predicts as a Float model.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNXReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let network = try? ONNXModel(onnx: bytes) else { return 0 }
    guard let reread = try? ONNXModel(onnx: network.onnxBytes()), reread == network else {
        fatalError("an accepted model does not survive a write and a re-read")
    }
    let model = network.model
    if model.inputSize <= 4096 {
        let outputs = try? network.outputs(Matrix<Double>(rows: 2, columns: model.inputSize))
        precondition(outputs?.scalars.count == 2 * model.outputSize)
        let input = Matrix<Float>(rows: 2, columns: model.inputSize)
        precondition((try? Sequential<Float>(converting: model).predict(input))?.scalars.count == 2 * model.outputSize)
    }
    return 0
}
