import Activations
import Networks
import Runtime

/// The image layers' kernels as functions of arrays, for the gradient and peer tests:
/// parameters and inputs in, outputs (or gradients) out, nothing shared between calls.
enum ImageLayers {
    /// Runs `body` on a (rows × columns) view of `values`.
    static func view<T, R>(_ values: inout [T], rows: Int, _ body: (MatrixBuffer<T>) -> R) -> R {
        let columns = values.count / rows
        return values.withUnsafeMutableBufferPointer { body(MatrixBuffer($0.baseAddress!, rows: rows, columns: columns)) }
    }

    static func scratch<T: Numeric>(_ geometry: Convolution2D) -> [T] {
        [T](repeating: 0, count: geometry.scratchCount(threads: Execution.current.threads)!)
    }

    /// Convolution: parameters are the OIHW weight followed by the bias.
    static func convolutionForward<T: ActivationScalar>(
        _ geometry: Convolution2D, batch: Int, parameters: [T], input: [T]
    ) -> [T] {
        var x = input, y = [T](repeating: .nan, count: batch * geometry.output.count), work: [T] = scratch(geometry)
        parameters.withUnsafeBufferPointer { p in
            view(&x, rows: batch) { xv in
                view(&y, rows: batch) { yv in
                    work.withUnsafeMutableBufferPointer { s in
                        Convolution.forward(
                            geometry, output: yv, input: xv, weight: p.baseAddress!,
                            bias: p.baseAddress! + geometry.weightCount, scratch: s)
                    }
                }
            }
        }
        return y
    }

    /// (∂parameters, ∂input) of Σ outputGradient ⊙ convolution.
    static func convolutionBackward<T: ActivationScalar>(
        _ geometry: Convolution2D, batch: Int, parameters: [T], input: [T], outputGradient: [T]
    ) -> ([T], [T]) {
        var x = input, g = outputGradient, work: [T] = scratch(geometry)
        var dx = [T](repeating: .nan, count: input.count)
        var dp = [T](repeating: .nan, count: parameters.count)
        parameters.withUnsafeBufferPointer { p in
            dp.withUnsafeMutableBufferPointer { d in
                view(&x, rows: batch) { xv in
                    view(&g, rows: batch) { gv in
                        view(&dx, rows: batch) { dxv in
                            work.withUnsafeMutableBufferPointer { s in
                                Convolution.backward(
                                    geometry, inputGradient: dxv, weightGradient: d.baseAddress!,
                                    biasGradient: d.baseAddress! + geometry.weightCount, outputGradient: gv,
                                    input: xv, weight: p.baseAddress!, scratch: s)
                            }
                        }
                    }
                }
            }
        }
        return (dp, dx)
    }

    /// The convolution's definition, one multiply-add at a time (the oracle of im2col).
    static func directConvolution(_ geometry: Convolution2D, batch: Int, parameters: [Double], input: [Double]) -> [Double] {
        let (c, h, w) = (geometry.input.channels, geometry.input.height, geometry.input.width)
        let (oc, oh, ow, k) = (geometry.output.channels, geometry.output.height, geometry.output.width, geometry.kernelSize)
        var output = [Double](repeating: 0, count: batch * geometry.output.count)
        for n in 0..<batch {
            for o in 0..<oc {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var sum = parameters[geometry.weightCount + o]
                        for ci in 0..<c {
                            for u in 0..<k {
                                for v in 0..<k {
                                    let row = i * geometry.stride - geometry.padTop + u
                                    let column = j * geometry.stride - geometry.padLeft + v
                                    guard (0..<h).contains(row), (0..<w).contains(column) else { continue }
                                    sum += parameters[((o * c + ci) * k + u) * k + v] * input[((n * c + ci) * h + row) * w + column]
                                }
                            }
                        }
                        output[((n * oc + o) * oh + i) * ow + j] = sum
                    }
                }
            }
        }
        return output
    }

    enum PoolKind: String, CaseIterable { case max, average, global }

    static func poolForward<T: ActivationScalar>(_ kind: PoolKind, _ geometry: Pooling2D, batch: Int, input: [T]) -> [T] {
        var x = input
        let outputs = kind == .global ? geometry.input.channels : geometry.output.count
        var y = [T](repeating: .nan, count: batch * outputs)
        view(&x, rows: batch) { xv in
            view(&y, rows: batch) { yv in
                switch kind {
                case .max: Pooling.maxForward(geometry, output: yv, input: xv)
                case .average: Pooling.averageForward(geometry, output: yv, input: xv)
                case .global: Pooling.globalAverageForward(geometry.input, output: yv, input: xv)
                }
            }
        }
        return y
    }

    static func poolBackward<T: ActivationScalar>(
        _ kind: PoolKind, _ geometry: Pooling2D, batch: Int, input: [T], outputGradient: [T]
    ) -> [T] {
        var x = input, g = outputGradient, dx = [T](repeating: .nan, count: input.count)
        view(&x, rows: batch) { xv in
            view(&g, rows: batch) { gv in
                view(&dx, rows: batch) { dxv in
                    switch kind {
                    case .max: Pooling.maxBackward(geometry, inputGradient: dxv, outputGradient: gv, input: xv)
                    case .average: Pooling.averageBackward(geometry, inputGradient: dxv, outputGradient: gv)
                    case .global: Pooling.globalAverageBackward(geometry.input, inputGradient: dxv, outputGradient: gv)
                    }
                }
            }
        }
        return dx
    }

    /// Batch normalisation: parameters are γ then β; the running statistics start at
    /// `running` (mean then variance) and are returned updated.
    static func batchNormForward<T: ActivationScalar>(
        channels: Int, spatial: Int, batch: Int, parameters: [T], input: [T], running: [T], training: Bool
    ) -> (output: [T], running: [T], saved: [T]) {
        var x = input, y = [T](repeating: .nan, count: input.count), stats = running
        var saved = [T](repeating: .nan, count: 2 * channels)
        parameters.withUnsafeBufferPointer { p in
            stats.withUnsafeMutableBufferPointer { r in
                saved.withUnsafeMutableBufferPointer { s in
                    view(&x, rows: batch) { xv in
                        view(&y, rows: batch) { yv in
                            if training {
                                BatchNormalization.trainingForward(
                                    channels: channels, spatial: spatial, output: yv, input: xv,
                                    weight: p.baseAddress!, bias: p.baseAddress! + channels,
                                    runningMean: r.baseAddress!, runningVariance: r.baseAddress! + channels,
                                    savedMean: s.baseAddress!, savedInverseDeviation: s.baseAddress! + channels)
                            } else {
                                BatchNormalization.inferenceForward(
                                    channels: channels, spatial: spatial, output: yv, input: xv,
                                    weight: p.baseAddress!, bias: p.baseAddress! + channels,
                                    runningMean: r.baseAddress!, runningVariance: r.baseAddress! + channels)
                                for c in 0..<channels {
                                    s[c] = r[c]
                                    s[channels + c] = 1 / (r[channels + c] + T(BatchNormalization.defaultEpsilon)).squareRoot()
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, stats, saved)
    }

    static func batchNormBackward<T: ActivationScalar>(
        channels: Int, spatial: Int, batch: Int, parameters: [T], input: [T], running: [T], training: Bool,
        outputGradient: [T]
    ) -> ([T], [T]) {
        let saved = batchNormForward(
            channels: channels, spatial: spatial, batch: batch, parameters: parameters, input: input,
            running: running, training: training
        ).saved
        var x = input, g = outputGradient, dx = [T](repeating: .nan, count: input.count)
        var dp = [T](repeating: .nan, count: 2 * channels)
        parameters.withUnsafeBufferPointer { p in
            saved.withUnsafeBufferPointer { s in
                dp.withUnsafeMutableBufferPointer { d in
                    view(&x, rows: batch) { xv in
                        view(&g, rows: batch) { gv in
                            view(&dx, rows: batch) { dxv in
                                BatchNormalization.backward(
                                    channels: channels, spatial: spatial, inputGradient: dxv,
                                    weightGradient: d.baseAddress!, biasGradient: d.baseAddress! + channels,
                                    outputGradient: gv, input: xv, weight: p.baseAddress!,
                                    mean: s.baseAddress!, inverseDeviation: s.baseAddress! + channels,
                                    training: training)
                            }
                        }
                    }
                }
            }
        }
        return (dp, dx)
    }
}
