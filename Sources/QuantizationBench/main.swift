// Benchmarks of the Quantization module (release build):
//   swift run -c release <Makefile RELEASE_FLAGS> quantization-bench [gemm] [network]
// gemm:    int8 GEMM vs OpenBLAS sgemm on 1024×784×256 and 1024×256×128, 1 and 2 threads;
// network: the int8 784-256-128-10 network at batch 1 and 1024 on 1 thread.
let sections = CommandLine.arguments.count > 1 ? Set(CommandLine.arguments.dropFirst()) : ["gemm", "network"]
if sections.contains("gemm") { try benchmarkGEMM() }
if sections.contains("network") { try benchmarkNetwork() }
