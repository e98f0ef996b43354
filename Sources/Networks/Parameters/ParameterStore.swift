import Activations

/// A model's parameters in one flat buffer, and their gradients in a second buffer with the
/// same layout. Layers hold views into both; an optimiser is one loop over them, a
/// checkpoint one write.
///
/// The buffers are allocated once, aligned to 64 bytes, and never move while the store
/// lives, so views taken from ``values`` and ``gradients`` stay valid for its lifetime.
public final class ParameterStore<Scalar: ActivationScalar> {
    /// Names, shapes, offsets and decay flags.
    public let layout: ParameterLayout
    private let valueStorage: AlignedStorage<Scalar>
    private let gradientStorage: AlignedStorage<Scalar>

    /// A zero-filled store for `layout`.
    public init(layout: ParameterLayout) {
        self.layout = layout
        valueStorage = AlignedStorage(count: layout.count)
        gradientStorage = AlignedStorage(count: layout.count)
    }

    /// The number of scalars in each buffer.
    public var count: Int { layout.count }

    /// Every parameter, back to back in ``layout`` order. Writable: each access counts as a
    /// write (``version``), so write through a view taken after a model's latest pass.
    public var values: UnsafeMutableBufferPointer<Scalar> {
        version &+= 1
        return valueStorage.buffer
    }

    /// Advances with every access to the writable views (``values``, ``values(of:)`` and the
    /// methods that write through them) and with every training pass of a model (batch norm
    /// moves its running statistics). A model keeps the forms its inference makes of the
    /// parameters (packed weights, batch norm folded into a convolution) with the version
    /// they were made at and remakes them when the version differs: an O(1) check per pass.
    /// A view kept from before a pass and written after it goes unseen by those forms.
    var version = 0

    /// The gradient of the last backward pass, laid out like ``values``. Backward passes
    /// overwrite it (they do not add to it).
    public var gradients: UnsafeMutableBufferPointer<Scalar> { gradientStorage.buffer }

    /// The values of the tensor `info` (a view into ``values``).
    public func values(of info: ParameterInfo) -> UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(rebasing: values[info.range])
    }

    /// The gradient of the tensor `info` (a view into ``gradients``).
    public func gradients(of info: ParameterInfo) -> UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(rebasing: gradients[info.range])
    }

    /// A copy of the tensor called `name`.
    /// - Throws: ``NetworkError/unknownParameter(_:)``.
    public func tensor(named name: String) throws(NetworkError) -> [Scalar] {
        Array(values(of: try layout.parameter(named: name)))
    }

    /// Overwrites the tensor called `name`.
    /// - Throws: ``NetworkError/unknownParameter(_:)``,
    ///   ``NetworkError/shapeMismatch(what:detail:)`` when the count differs, or
    ///   ``NetworkError/nonFiniteValue(what:index:)`` for a NaN or ±∞ value (the tensor is
    ///   then left unchanged).
    public func setTensor(named name: String, to newValues: [Scalar]) throws(NetworkError) {
        let info = try layout.parameter(named: name)
        guard newValues.count == info.count else {
            throw .shapeMismatch(
                what: name, detail: "\(newValues.count) values given, shape \(info.shape) holds \(info.count)")
        }
        if let index = newValues.withUnsafeBufferPointer({ $0.firstNonFiniteIndex() }) {
            throw .nonFiniteValue(what: name, index: index)
        }
        _ = UnsafeMutableBufferPointer(rebasing: values[info.range]).initialize(from: newValues)
    }

    /// A copy of the whole value buffer.
    public func snapshot() -> [Scalar] { Array(values) }

    /// Overwrites the whole value buffer.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the count differs, or
    ///   ``NetworkError/nonFiniteValue(what:index:)`` naming the tensor of the first NaN or
    ///   ±∞ value (the buffer is then left unchanged).
    public func restore(_ snapshot: [Scalar]) throws(NetworkError) {
        guard snapshot.count == count else {
            throw .shapeMismatch(
                what: "parameters", detail: "\(snapshot.count) values given, the model has \(count)")
        }
        if let index = snapshot.withUnsafeBufferPointer({ $0.firstNonFiniteIndex() }),
            let info = layout.parameters.first(where: { $0.range.contains(index) })
        {
            throw .nonFiniteValue(what: info.name, index: index - info.range.lowerBound)
        }
        _ = values.initialize(from: snapshot)
    }

    /// The index of the first parameter that is NaN or ±∞, if any.
    public var firstNonFiniteIndex: Int? {
        UnsafeBufferPointer(values).firstNonFiniteIndex()
    }
}
