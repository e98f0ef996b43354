/// The portable twin of the C tile `cq_gemm_row_panel_avx2`: the same packed layouts, the
/// same wrapping int32 sums, in Swift SIMD.
enum PortableTile {
    /// `tile[r][16p + c] = Σ_t rows[t][r]·weights[p][t][c]` over both halves of each pair.
    static func multiply(
        packedRows: UnsafeBufferPointer<Int16>, packedWeights: UnsafeBufferPointer<Int16>,
        tile: UnsafeMutableBufferPointer<Int32>, pairs: Int, panels: Int
    ) {
        let rowBytes = panels * 16 * MemoryLayout<Int32>.stride
        let rows = packedRows.baseAddress!
        for panel in 0..<panels {
            var weights = UnsafeRawPointer(packedWeights.baseAddress! + panel * pairs * 32)
            var pairsOfRows = rows
            var sums = (
                SIMD16<Int32>(), SIMD16<Int32>(), SIMD16<Int32>(),
                SIMD16<Int32>(), SIMD16<Int32>(), SIMD16<Int32>()
            )
            for _ in 0..<pairs {
                // Each 32-bit lane holds one unit's pair (w_k in the low half, w_k+1 in the
                // high half, little-endian); shifts sign-extend each half without shuffles.
                let both = weights.loadUnaligned(as: SIMD16<Int32>.self)
                let even = (both &<< 16) &>> 16
                let odd = both &>> 16
                sums.0 &+= products(pairsOfRows, row: 0, even, odd)
                sums.1 &+= products(pairsOfRows, row: 1, even, odd)
                sums.2 &+= products(pairsOfRows, row: 2, even, odd)
                sums.3 &+= products(pairsOfRows, row: 3, even, odd)
                sums.4 &+= products(pairsOfRows, row: 4, even, odd)
                sums.5 &+= products(pairsOfRows, row: 5, even, odd)
                weights += 64
                pairsOfRows += 12
            }
            let out = UnsafeMutableRawPointer(tile.baseAddress! + panel * 16)
            out.storeBytes(of: sums.0, as: SIMD16<Int32>.self)
            (out + rowBytes).storeBytes(of: sums.1, as: SIMD16<Int32>.self)
            (out + 2 * rowBytes).storeBytes(of: sums.2, as: SIMD16<Int32>.self)
            (out + 3 * rowBytes).storeBytes(of: sums.3, as: SIMD16<Int32>.self)
            (out + 4 * rowBytes).storeBytes(of: sums.4, as: SIMD16<Int32>.self)
            (out + 5 * rowBytes).storeBytes(of: sums.5, as: SIMD16<Int32>.self)
        }
    }

    /// Row `row`'s pair times every unit's pair: `x_k·w_k + x_k+1·w_k+1` per lane.
    @inline(__always)
    private static func products(
        _ pairsOfRows: UnsafePointer<Int16>, row: Int, _ even: SIMD16<Int32>, _ odd: SIMD16<Int32>
    ) -> SIMD16<Int32> {
        Int32(pairsOfRows[2 * row]) &* even &+ Int32(pairsOfRows[2 * row + 1]) &* odd
    }
}
