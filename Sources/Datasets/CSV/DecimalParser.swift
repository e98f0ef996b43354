#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decimal text to the correctly rounded `Float`, fast.
///
/// Syntax: `[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one side of the
/// point. The first 19 significant digits go into a `UInt64` m, the rest only into the exponent,
/// so the text is m·10^e (times 1 + δ, |δ| < 10⁻¹⁸, when digits were dropped). Then
/// d = Double(m) · 10^e with 10^e a correctly rounded `Double` from a table: three roundings,
/// so d is within 2 ulp (of `Double`) of the text's value. Rounding d to `Float` is correct
/// unless d lies within that distance of a point halfway between two `Float`s, which the low
/// 29 bits of d tell (margin 16 ulp); those rare cases, and results outside `Float`'s normal
/// range, go to the C library's `strtof`, which rounds correctly. (Clinger's fast path
/// widened by an error bound; exact where Eisel–Lemire is, with a 103-entry table.)
struct DecimalParser {
    /// 10^k correctly rounded, for k in `minimumExponent…maximumExponent`.
    private static let powers: [Double] = (minimumExponent...maximumExponent).map { Double("1e\($0)")! }
    private static let minimumExponent = -64
    private static let maximumExponent = 38

    /// Parses the number at `start`; on success returns it with the position after its last
    /// byte, else nil. `start` must be followed, somewhere, by a byte that is not part of a
    /// number (a separator or newline), which stops the scan.
    @inline(__always)
    static func parse(_ start: UnsafePointer<UInt8>) -> (value: Float, end: UnsafePointer<UInt8>)? {
        var cursor = start
        let negative = cursor.pointee == UInt8(ascii: "-")
        if negative || cursor.pointee == UInt8(ascii: "+") { cursor += 1 }
        var mantissa: UInt64 = 0
        var digitCount = 0
        var exponent = 0
        var sawDigit = false
        var sawPoint = false
        while true {
            let digit = cursor.pointee &- UInt8(ascii: "0")
            if digit < 10 {
                if digitCount < 19 {
                    // Leading zeros count nowhere but in the exponent after the point.
                    if digit != 0 || digitCount != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        digitCount += 1
                    }
                    if sawPoint { exponent -= 1 }
                } else if !sawPoint {
                    exponent += 1
                }
                sawDigit = true
            } else if cursor.pointee == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            cursor += 1
        }
        guard sawDigit else { return nil }
        if cursor.pointee | 0x20 == UInt8(ascii: "e") {
            var next = cursor + 1
            let negativeExponent = next.pointee == UInt8(ascii: "-")
            if negativeExponent || next.pointee == UInt8(ascii: "+") { next += 1 }
            guard next.pointee &- UInt8(ascii: "0") < 10 else { return nil }
            var written = 0
            while case let digit = next.pointee &- UInt8(ascii: "0"), digit < 10 {
                written = min(written * 10 + Int(digit), 1_000_000)
                next += 1
            }
            exponent += negativeExponent ? -written : written
            cursor = next
        }
        let end = cursor
        if mantissa == 0 { return (negative ? -0.0 : 0.0, end) }
        // m < 10^digitCount, so below 10^-46 the value rounds to 0; at or above 10^39, to ∞.
        if exponent + digitCount <= -46 { return (negative ? -0.0 : 0.0, end) }
        if exponent + digitCount > 39 { return (negative ? -.infinity : .infinity, end) }
        if exponent >= minimumExponent, exponent <= maximumExponent {
            let approximation = Double(mantissa) * powers.withUnsafeBufferPointer { $0[exponent - minimumExponent] }
            let low = approximation.bitPattern & 0x1FFF_FFFF
            if approximation >= 0x1p-126, approximation <= 0x1.fffffcp127,
                low &- (0x1000_0000 - 16) > 32
            {
                let value = Float(approximation)
                return (negative ? -value : value, end)
            }
        }
        return (slowParse(start, end), end)
    }

    /// `strtof` on the bytes `start..<end` (already checked to be a decimal number).
    private static func slowParse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Float {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { text in
            UnsafeMutableRawPointer(text.baseAddress!).copyMemory(from: start, byteCount: length)
            text[length] = 0
            return strtof(text.baseAddress!, nil)
        }
    }
}
