import Activations
import CGEMMKernels
import Foundation
import Networks
import Runtime
import Testing

/// Float inference on packed weights (passes of at least `Sequential.packedRows` rows without
/// a training generator): against a Double reference of the same parameters, bit for bit
/// against the in-order FMA sum it promises, the same bits on one and two threads, and
/// repacked when the weights change.
@Suite struct PackedInferenceTests {
    static func model(_ hidden: String, seed: UInt64 = 31) throws -> Sequential<Float> {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 70, hiddenSizes: [45, 33], hiddenActivation: try HiddenActivation(parsing: hidden),
            outputSize: 10)
        return Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
    }

    static func input(rows: Int, seed: UInt64 = 32) -> Matrix<Float> {
        var generator = SeededGenerator(seed: seed)
        return Matrix(converting: GradientCheck.randomMatrix(rows: rows, columns: 70, in: -1...1, &generator))
    }

    /// The network's outputs from its Float parameters, each dense output accumulated as
    /// `fused` says: in Double (the reference), or as one Float FMA per input in order, then
    /// + bias (what the packed kernels compute).
    static func outputs(_ model: Sequential<Float>, _ input: Matrix<Float>, hidden: (Float) -> Float, fused: Bool) throws
        -> [[Float]]
    {
        var rows = (0..<input.rows).map { Array(input.row($0)) }
        for layer in 0..<3 {
            let index = 2 * layer
            let weight = try model.parameters.tensor(named: "layers.\(index).weight")
            let bias = try model.parameters.tensor(named: "layers.\(index).bias")
            let inputs = rows[0].count, outputs = bias.count
            rows = rows.map { x in
                (0..<outputs).map { j in
                    var value: Float
                    if fused {
                        var sum: Float = 0
                        for p in 0..<inputs { sum = sum.addingProduct(x[p], weight[j * inputs + p]) }
                        value = sum + bias[j]
                    } else {
                        var sum = Double(bias[j])
                        for p in 0..<inputs { sum += Double(x[p]) * Double(weight[j * inputs + p]) }
                        value = Float(sum)
                    }
                    return layer < 2 ? hidden(value) : value
                }
            }
        }
        return rows
    }

    static func expectClose(_ a: Matrix<Float>, _ reference: [[Float]]) {
        for row in 0..<a.rows {
            for (x, y) in zip(a.row(row), reference[row]) { #expect(abs(x - y) <= 1e-5 * max(1, abs(y))) }
        }
    }

    static func relu(_ x: Float) -> Float { 0 > x ? 0 : x }

    /// Row counts around the 12-row tiles and the 48-row panels each thread takes through
    /// all the layers (a panel of 1, of 37 after full ones, a chunk ending mid-panel).
    @Test(arguments: [1, 31, 32, 37, 49, 100, 587, 1030])
    func reluNetworkMatchesTheReference(rows: Int) throws {
        let model = try Self.model("relu")
        let input = Self.input(rows: rows)
        let predicted = try model.predict(input)
        Self.expectClose(predicted, try Self.outputs(model, input, hidden: Self.relu, fused: false))
        // Packed passes (chunks of ≥ 32 rows, where the CPU has the kernels) are the in-order
        // FMA sums; 1030 rows are a chunk of 1024 and one of 6 (OpenBLAS).
        let chunk = Sequential<Float>.predictionChunk, tail = rows % chunk
        let packed = rows < 32 ? 0 : tail == 0 || tail >= 32 ? rows : rows - tail
        if rect_gemm_panel_width() > 0 {
            let fused = try Self.outputs(model, input, hidden: Self.relu, fused: true)
            #expect((0..<packed).allSatisfy { Array(predicted.row($0)) == fused[$0] })
        }
    }

    @Test func tanhNetworkIsNotFused() throws {
        let model = try Self.model("tanh")
        let input = Self.input(rows: 64)
        Self.expectClose(try model.predict(input), try Self.outputs(model, input, hidden: { Float(Foundation.tanh(Double($0))) }, fused: false))
    }

    /// A batch of one runs each dense layer as one matrix-vector product, split by outputs over
    /// two threads from 2¹⁶ multiply-adds (here 300 × 256): each output is still one call's
    /// dot product.
    @Test func batchOfOneOnTwoThreads() throws {
        var generator = SeededGenerator(seed: 33)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 300, hiddenSizes: [256], hiddenActivation: .fixed(.relu), outputSize: 10)
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let input = Matrix<Float>(converting: GradientCheck.randomMatrix(rows: 1, columns: 300, in: -1...1, &generator))
        let one = try Execution(threads: 1).run { try model.predict(input) }
        let two = try Execution(threads: 2).run { try model.predict(input) }
        #expect(one.scalars == two.scalars)
        var hidden = [Float](repeating: 0, count: 256)
        let w0 = try model.parameters.tensor(named: "layers.0.weight"), b0 = try model.parameters.tensor(named: "layers.0.bias")
        let w2 = try model.parameters.tensor(named: "layers.2.weight"), b2 = try model.parameters.tensor(named: "layers.2.bias")
        for j in 0..<256 {
            var sum = Double(b0[j])
            for p in 0..<300 { sum += Double(input.scalars[p]) * Double(w0[j * 300 + p]) }
            hidden[j] = Float(Swift.max(0, sum))
        }
        for j in 0..<10 {
            var sum = Double(b2[j])
            for p in 0..<256 { sum += Double(hidden[p]) * Double(w2[j * 256 + p]) }
            #expect(abs(Double(two.scalars[j]) - sum) <= 1e-5 * Swift.max(1, abs(sum)))
        }
    }

    /// `rect_gemv` against a Double reference on sizes around its 4-output groups and its
    /// blocks of 16/32 inputs (tails of 1…31), with and without bias and ReLU; outputs
    /// computed one at a time are the same bits as all at once.
    @Test func matrixVectorKernelMatchesTheReference() throws {
        guard rect_gemm_panel_width() > 0 else { return }
        var generator = SeededGenerator(seed: 35)
        for (n, k) in [(1, 1), (3, 15), (4, 16), (5, 17), (7, 31), (9, 33), (13, 70), (6, 784)] {
            let w = GradientCheck.randomMatrix(rows: n, columns: k, in: -1...1, &generator).scalars.map { Float($0) }
            let x = GradientCheck.randomMatrix(rows: 1, columns: k, in: -1...1, &generator).scalars.map { Float($0) }
            let bias = GradientCheck.randomMatrix(rows: 1, columns: n, in: -1...1, &generator).scalars.map { Float($0) }
            for relu in [false, true] {
                var all = [Float](repeating: .nan, count: n), single = all
                rect_gemv(n, k, x, w, k, bias, relu ? 1 : 0, &all)
                for j in 0..<n {
                    w.withUnsafeBufferPointer { wj in
                        single.withUnsafeMutableBufferPointer {
                            rect_gemv(1, k, x, wj.baseAddress! + j * k, k, bias.withUnsafeBufferPointer { $0.baseAddress! + j }, relu ? 1 : 0, $0.baseAddress! + j)
                        }
                    }
                    var sum = Double(bias[j])
                    for p in 0..<k { sum += Double(w[j * k + p]) * Double(x[p]) }
                    let expected = relu ? Swift.max(0, sum) : sum
                    #expect(abs(Double(all[j]) - expected) <= 1e-5 * Swift.max(1, abs(expected)), "n \(n) k \(k) j \(j)")
                }
                #expect(all == single)
            }
            var noBias = [Float](repeating: .nan, count: n)
            rect_gemv(n, k, x, w, k, nil, 0, &noBias)
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(w[j * k + p]) * Double(x[p]) }
                #expect(abs(Double(noBias[j]) - sum) <= 1e-5 * Swift.max(1, abs(sum)))
            }
        }
    }

    @Test func sameBitsOnOneAndTwoThreads() throws {
        let model = try Self.model("relu")
        for rows in [37, 49, 97, 100, 587, 1030] {
            let input = Self.input(rows: rows)
            let one = try Execution(threads: 1).run { try model.predict(input) }
            let two = try Execution(threads: 2).run { try model.predict(input) }
            #expect(one.scalars == two.scalars)
        }
    }

    /// A batch of one (`rect_gemv`) and the same rows in a batch (packed panels through all the
    /// layers) agree within Float rounding, on one and two threads.
    @Test(arguments: [1, 2])
    func batchOfOneAgreesWithTheBatch(threads: Int) throws {
        let model = try Self.model("relu")
        let input = Self.input(rows: 61)
        let batch = try Execution(threads: threads).run { try model.predict(input) }
        for row in 0..<input.rows {
            let one = try Matrix(rows: 1, columns: 70, scalars: Array(input.row(row)))
            let single = try Execution(threads: threads).run { try model.predict(one) }
            for (x, y) in zip(single.scalars, batch.row(row)) { #expect(abs(x - y) <= 1e-5 * max(1, abs(y))) }
        }
    }

    /// `forward` (an inference pass on packed weights) keeps every layer's values for the
    /// backward pass, as a training pass of the same network (no dropout, no batch norm) does:
    /// the parameter gradients after each agree within Float rounding.
    @Test func forwardKeepsEveryLayersValues() throws {
        let model = try Self.model("relu")
        let input = Self.input(rows: 100)
        var generator = SeededGenerator(seed: 34)
        let gradient = Matrix<Float>(converting: GradientCheck.randomMatrix(rows: 100, columns: 10, in: -1...1, &generator))
        _ = try model.trainingForward(input, generator: &generator)
        _ = try model.backward(outputGradient: gradient)
        let trained = Array(model.parameters.gradients)
        _ = try model.forward(input)
        _ = try model.backward(outputGradient: gradient)
        let scale = trained.map { abs($0) }.max()!
        for (x, y) in zip(model.parameters.gradients, trained) { #expect(abs(x - y) <= 1e-5 * scale) }
    }

    /// A write through the parameter store after a packed pass: the next pass sees it.
    @Test func changedWeightsAreRepacked() throws {
        let model = try Self.model("relu")
        let input = Self.input(rows: 64)
        let before = try model.predict(input)
        let other = try Self.model("relu", seed: 99)
        model.parameters.values.update(fromContentsOf: other.parameters.values)
        let after = try model.predict(input)
        #expect(after.scalars != before.scalars)
        #expect(after.scalars == (try other.predict(input)).scalars)
        Self.expectClose(after, try Self.outputs(other, input, hidden: Self.relu, fused: false))
    }

    /// An optimiser step after a packed pass: the next pass uses the stepped weights; the old
    /// weights written back give the old outputs back, bit for bit.
    @Test func anOptimiserStepAndItsUndoAreBothSeen() throws {
        let model = try Self.model("relu")
        let input = Self.input(rows: 64)
        let before = try model.predict(input)
        let saved = model.parameters.snapshot()
        var generator = SeededGenerator(seed: 35)
        let gradient = Matrix<Float>(converting: GradientCheck.randomMatrix(rows: 64, columns: 10, in: -1...1, &generator))
        _ = try model.forward(input)
        _ = try model.backward(outputGradient: gradient)
        let configuration = try OptimizerConfiguration(kind: .sgd, learningRate: 0.05)
        Optimizer<Float>(configuration: configuration, layout: model.parameters.layout).step(model.parameters, learningRate: 0.05)
        let stepped = try model.predict(input)
        #expect(stepped.scalars != before.scalars)
        Self.expectClose(stepped, try Self.outputs(model, input, hidden: Self.relu, fused: false))
        if rect_gemm_panel_width() > 0 {
            #expect(stepped.scalars == (try Self.outputs(model, input, hidden: Self.relu, fused: true)).flatMap { $0 })
        }
        try model.parameters.restore(saved)
        #expect(try model.predict(input).scalars == before.scalars)
    }

    /// NaN passes the fused ReLU as it passes the ReLU layer (0 > NaN is false).
    @Test func nanPropagatesThroughTheFusedReLU() throws {
        let model = try Self.model("relu")
        var scalars = Self.input(rows: 40).scalars
        scalars[3 * 70 + 5] = .nan
        let predicted = try model.predict(try Matrix(rows: 40, columns: 70, scalars: scalars))
        #expect(predicted.row(3).allSatisfy { $0.isNaN })
        #expect(predicted.row(2).allSatisfy { $0.isFinite })
    }
}
