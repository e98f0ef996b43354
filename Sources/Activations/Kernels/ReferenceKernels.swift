/// Plain scalar loops over the definitions: the oracle the fast kernels are tested against.
package enum ReferenceKernels {
    package static func forward<T: ActivationScalar>(
        _ activation: Activation, _ input: UnsafeBufferPointer<T>,
        _ output: UnsafeMutableBufferPointer<T>
    ) {
        for i in input.indices { output[i] = activation.value(input[i]) }
    }

    package static func backward<T: ActivationScalar>(
        _ activation: Activation, input: UnsafeBufferPointer<T>,
        _ gradientOutput: UnsafeBufferPointer<T>, _ gradientInput: UnsafeMutableBufferPointer<T>
    ) {
        for i in input.indices {
            gradientInput[i] = gradientOutput[i] * activation.derivative(input[i])
        }
    }

    package static func backward<T: ActivationScalar>(
        _ activation: Activation, output: UnsafeBufferPointer<T>,
        _ gradientOutput: UnsafeBufferPointer<T>, _ gradientInput: UnsafeMutableBufferPointer<T>
    ) {
        for i in output.indices {
            gradientInput[i] = gradientOutput[i] * activation.derivative(fromOutput: output[i])
        }
    }
}
