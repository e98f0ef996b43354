// libFuzzer harness for the safetensors reader; not built by SwiftPM. Run from the repo root:
//
//   make fuzz-safetensors FUZZ_RUNS=1000000
//
// which compiles this file with the reader's sources into one program,
//   swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library Fuzz/SafeTensorsReaderFuzzer.swift \
//     Sources/Interchange/SafeTensors/*.swift Sources/Interchange/Files/*.swift -o FUZZER
// and runs it on the seeds in Fuzz/Seeds/safetensors with the JSON tokens of
// Fuzz/safetensors.dict, 5 s per input and 1 GB of memory at most. A finding is a crash,
// an AddressSanitizer report, a timeout or an out-of-memory, saved as crash-*/timeout-*/oom-*.

/// Each input must be refused with a `SafeTensorsError` or accepted whole: then its content
/// survives a write and a re-read, and every floating-point tensor converts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensorsReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let content = try? SafeTensors(serialized: bytes) else { return 0 }
    guard let rewritten = try? content.serialized(),
        let reread = try? SafeTensors(serialized: rewritten), reread == content
    else {
        fatalError("accepted content does not survive a write and a re-read")
    }
    for tensor in content.tensors.values where tensor.dtype.isFloatingPoint {
        precondition((try? tensor.doubles())?.count == tensor.elementCount)
    }
    return 0
}
