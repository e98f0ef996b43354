import Activations
import Foundation
import Interchange
import Networks
import Quantization
import Runtime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A model file cannot make a reader allocate more than its own tensors justify, nor read
/// more bytes than the machine has memory for.
@Suite struct ModelFileMemoryTests {
    /// Metadata only: a perceptron of `hidden` units over `inputs` features, and no tensor.
    static func metadataOnlyFile(inputs: Int, hidden: Int, at path: String) throws {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: inputs, hiddenSizes: [hidden], hiddenActivation: .fixed(.relu), outputSize: 10)
        try SafeTensors(metadata: [ModelFile.formatKey: ModelFile.formatName, ModelFile.architectureKey: architecture.jsonString])
            .write(to: path)
    }

    /// (2³¹ − 1)² ≈ 4.6·10¹⁸ parameters: allocating the model first would abort the process.
    @Test(arguments: [(64, 100_000_000), (Architecture.maximumWidth, Architecture.maximumWidth)])
    func metadataClaimingAHugeModelWithoutTensorsIsRefusedBeforeAllocating(inputs: Int, hidden: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("wide.safetensors")
        try Self.metadataOnlyFile(inputs: inputs, hidden: hidden, at: path)
        #expect(try readBytes(path).count < 600)
        #expect(throws: ModelFileError.missingTensor(file: path, tensor: "layers.0.weight")) {
            _ = try ModelFile.load(path)
        }
        #expect(throws: ModelFileError.missingTensor(file: path, tensor: "layers.0.weight")) {
            _ = try ModelFile.load(path, as: Double.self)
        }
    }

    /// A sparse file larger than the memory available: refused by its size, not read.
    @Test func aFileLargerThanTheMemoryAvailableIsNotRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("sparse.safetensors")
        let size = try Self.sparseFile(at: path)
        let expected = "\(path): a file of \(MemoryBudget.text(bytes: size)): needs \(MemoryBudget.text(bytes: size)) of memory"
        let error = #expect(throws: ModelFileError.self) { _ = try ModelFile.load(path) }
        #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        let int8 = #expect(throws: QuantizedModelFileError.self) { _ = try QuantizedModelFile.load(path) }
        #expect(int8?.description.hasPrefix(expected) == true, "\(String(describing: int8))")
    }

    /// Makes a sparse file of 8 TB (1 TB where the file system allows no more), which must
    /// exceed the memory available; returns its size.
    static func sparseFile(at path: String) throws -> Int {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let size = [1 << 43, 1 << 40].first { ftruncate(descriptor, off_t($0)) == 0 }
        let made = try #require(size, "cannot make a sparse file in \(path)")
        try #require(made > MemoryBudget.availableBytes(), "this machine has more memory than \(made) bytes")
        return made
    }
}
