import Experiments

extension ResultTable {
    /// The table as aligned text for a terminal: title, header, rule, rows.
    var text: String {
        let all = [columns] + rows
        let widths = columns.indices.map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 ? cell + String(repeating: " ", count: widths[index] - cell.count)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([title, line(columns), String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
            + rows.map(line)).joined(separator: "\n")
    }
}
