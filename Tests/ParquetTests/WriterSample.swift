import Parquet

/// Deterministic rows for writer tests, computed the same way in Swift and in WriterCheckScript.
enum WriterSample {
    static let columns = [
        ParquetWriterColumn(name: "id", type: .int64, nullable: false),
        ParquetWriterColumn(name: "caption", type: .string, nullable: true),
        ParquetWriterColumn(name: "score", type: .double, nullable: true),
        ParquetWriterColumn(name: "path", type: .string, nullable: false),
    ]

    static func id(_ row: Int) -> Int64 { Int64(row) * 1_000_003 - 7 }

    static func caption(_ row: Int) -> String? {
        if row % 9 == 4 { return nil }
        if row % 31 == 0 { return "" }
        return "caption \(row) " + (row % 5 == 0 ? "naïve café ☕ 日本 🎉" : "plain words")
    }

    static func score(_ row: Int) -> Double? { row % 6 == 1 ? nil : Double(row) * 0.125 - 3 }

    static func path(_ row: Int) -> String { "images/\(row).jpg" }

    static func write(to path: String, rows: Int, compression: ParquetCompression, rowGroupRows: Int) throws {
        let writer = try ParquetFileWriter(
            path: path, columns: columns, compression: compression, rowGroupRows: rowGroupRows)
        for row in 0..<rows {
            writer.append(int64: id(row), column: 0)
            writer.append(string: caption(row), column: 1)
            writer.append(double: score(row), column: 2)
            writer.append(string: self.path(row), column: 3)
            try writer.endRow()
        }
        try writer.close()
    }
}
