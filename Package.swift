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
        // The family: scalar definitions, vectorised kernels, fast vector exp/log. No BLAS.
        .target(
            name: "Activations",
            dependencies: [
                "CActivationKernels", .product(name: "RealModule", package: "swift-numerics"),
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
        .target(name: "Networks", dependencies: ["Activations", "CBLAS"]),
        .target(name: "Datasets", dependencies: ["CZlib"]),
        .target(name: "Plotting"),
        // The AVX2 tile of the int8 GEMM (vpmaddwd), with a runtime CPU check.
        .target(name: "CQuantKernels"),
        .target(name: "Quantization", dependencies: ["Activations", "Networks", "CQuantKernels"]),
        // `swift run -c release quantization-bench`: int8 GEMM against OpenBLAS sgemm.
        .executableTarget(
            name: "quantization-bench", dependencies: ["Quantization", "Networks", "CBLAS"],
            path: "Sources/QuantizationBench"),
        .target(
            name: "Interchange",
            dependencies: [
                "Networks", "Quantization",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "Experiments",
            dependencies: [
                "Activations", "Networks", "Datasets", "Plotting", "Quantization", "Interchange",
            ]
        ),
        // The command-line tool's commands, as a library so tests can drive them.
        .target(
            name: "RectifierCLI",
            dependencies: [
                "Activations", "Networks", "Datasets", "Plotting", "Quantization", "Interchange",
                "Experiments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "rectifier", dependencies: ["RectifierCLI"]),

        // Reference/ holds the mpmath tables; the tests read them through #filePath.
        .testTarget(
            name: "ActivationsTests", dependencies: ["Activations"], exclude: ["Reference"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Activations"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(
            name: "QuantizationTests", dependencies: ["Quantization", "Networks", "Activations"]),
        .testTarget(name: "InterchangeTests", dependencies: ["Interchange", "Networks", "Quantization"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Networks", "Datasets"]),
        // Corpus/ holds the command-line fuzzer's regression corpus; the tests read it through #filePath.
        .testTarget(name: "RectifierCLITests", dependencies: ["RectifierCLI", "Experiments"], exclude: ["Corpus"]),
    ]
)
