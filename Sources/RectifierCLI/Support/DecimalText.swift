/// `value` with `places` decimals (rounded half away from zero), without Foundation, for
/// any magnitude: NaN and ±∞ as `nan`, `inf`, `-inf`, and values too large for exact
/// integer rounding (beyond 2⁵³ after scaling, e.g. a loss of 1e300) in Swift's shortest
/// form (`1e+300`).
public func decimal(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 0x1p53 else { return "\(value)" }
    let whole = Int(scaled / scale)
    var fraction = String(Int(scaled - Double(whole) * scale))
    while fraction.count < places { fraction = "0" + fraction }
    return (value < 0 && scaled > 0 ? "-" : "") + (places > 0 ? "\(whole).\(fraction)" : "\(whole)")
}
