// swift-tools-version: 6.1
// A package that depends on Rectifier as any user's package does: by path, with no build
// flags of its own. `swift build -c release` here is a library user's default build; its
// kernel speed is what `bench/compare` sets beside the Makefile's native build.
import PackageDescription

let package = Package(
    name: "DependentPackage",
    dependencies: [.package(name: "Rectifier", path: "../..")],
    targets: [
        .executableTarget(
            name: "kernel-speed",
            dependencies: [
                .product(name: "Activations", package: "Rectifier"),
                .product(name: "Runtime", package: "Rectifier"),
            ]
        )
    ]
)
