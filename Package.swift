// swift-tools-version: 6.1
// Rectifier: the rectifier family of activations, the networks that use them, leaky units,
// 8-bit inference and the experiments that measure the classic claims.
//
// Build flags that depend on the machine (e.g. `-target-cpu native`) are passed by the
// Makefile, never written here as unsafeFlags: that would stop the package from being used
// as a dependency.
import PackageDescription

let package = Package(
    name: "Rectifier",
    products: [
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Activations", targets: ["Activations"]),
        .library(name: "Networks", targets: ["Networks"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "Quantization", targets: ["Quantization"]),
        .library(name: "Interchange", targets: ["Interchange"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .executable(name: "rectifier", targets: ["rectifier"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // One of each support piece: the execution context (threads, profiler) and its worker
        // pool, the clock and timing loop, the seeded generators, atomic files, the memory
        // budget. The C library and Synchronization only.
        .target(name: "Runtime"),
        // The family: scalar definitions, vectorised kernels, fast vector exp/log. No BLAS.
        .target(
            name: "Activations",
            dependencies: [
                "Runtime", "CActivationKernels", .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // Inline C helpers for the instructions Swift cannot reach (vpermps, vrcpps,
        // non-temporal stores) and a vector FMA that stays one instruction.
        .target(name: "CActivationKernels"),
        // OpenBLAS through pkg-config (Debian: libopenblas-dev).
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // zlib through pkg-config (Debian: zlib1g-dev), for gzip-compressed IDX files.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The Float GEMM of inference over packed weights (AVX2 + FMA and AVX-512 tiles with
        // the bias and ReLU fused), with a runtime CPU check.
        .target(name: "CGEMMKernels"),
        .target(name: "Networks", dependencies: ["Runtime", "Activations", "CBLAS", "CGEMMKernels"]),
        // libpng through pkg-config (Debian: libpng-dev), for folders of PNG images.
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // CRC-32 by carry-less multiplication (PCLMULQDQ), with a runtime CPU check.
        .target(name: "CDataKernels"),
        .target(name: "Datasets", dependencies: ["Runtime", "CZlib", "CPNG", "CDataKernels"]),
        .target(name: "Plotting", dependencies: ["Runtime"]),
        // The AVX2 tile of the int8 GEMM (vpmaddwd), with a runtime CPU check.
        .target(name: "CQuantKernels"),
        .target(name: "Quantization", dependencies: ["Runtime", "Activations", "Networks", "CQuantKernels"]),
        .target(
            name: "Interchange",
            dependencies: [
                "Runtime", "Networks", "Quantization",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "Experiments",
            dependencies: [
                "Runtime", "Activations", "Networks", "Datasets", "Plotting", "Quantization",
                "Interchange",
            ]
        ),
        // The command-line tool's commands, as a library so tests can drive them.
        .target(
            name: "RectifierCLI",
            dependencies: [
                "Runtime", "Activations", "Networks", "Datasets", "Plotting", "Quantization",
                "Interchange", "Experiments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "rectifier", dependencies: ["RectifierCLI"]),

        // Reference/ holds the mpmath tables; the tests read them through #filePath.
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"]),
        .testTarget(
            name: "ActivationsTests", dependencies: ["Activations", "Runtime"], exclude: ["Reference"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Activations", "Runtime", "CGEMMKernels"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib", "Runtime"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Runtime"]),
        .testTarget(
            name: "QuantizationTests",
            dependencies: ["Quantization", "Networks", "Activations", "Runtime"]),
        .testTarget(
            name: "InterchangeTests", dependencies: ["Interchange", "Networks", "Quantization", "Runtime"]),
        .testTarget(
            name: "ExperimentsTests", dependencies: ["Experiments", "Networks", "Datasets", "Runtime"]),
        // Corpus/ holds the command-line fuzzer's regression corpus; the tests read it through #filePath.
        .testTarget(
            name: "RectifierCLITests", dependencies: ["RectifierCLI", "Experiments", "Runtime"], exclude: ["Corpus"]),
    ]
)
