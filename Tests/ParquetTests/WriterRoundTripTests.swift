import Parquet
import TestSupport
import Testing

/// The writer read back by this module's reader (no Python needed), and the writer's contract.
struct WriterRoundTripTests {
    @Test(arguments: ParquetCompression.allCases)
    func readsBackWhatItWrote(compression: ParquetCompression) throws {
        let directory = try TemporaryDirectory("laclip-parquet-roundtrip")
        let path = directory.path("round.parquet").path
        try WriterSample.write(to: path, rows: 3_001, compression: compression, rowGroupRows: 1_000)
        let reader = try ParquetFileReader(path: path, displayName: "round.parquet")
        #expect(reader.rowCount == 3_001)
        #expect(reader.rowGroupCount == 4)
        #expect(reader.createdBy == "laclip")
        #expect(reader.columns.map(\.logicalKind) == [.integer, .string, .floatingPoint, .string])
        #expect(reader.columns.map(\.isNullable) == [false, true, true, false])
        var row = 0
        var mismatches = 0
        for group in 0..<reader.rowGroupCount {
            let columns = try reader.readRowGroup(group, columns: ["path", "id", "caption", "score"])
            for local in 0..<Int(reader.rowGroupRowCount(group)) {
                if columns[0].string(local) != WriterSample.path(row) || columns[1].int64(local) != WriterSample.id(row)
                    || columns[2].string(local) != WriterSample.caption(row)
                    || columns[3].double(local) != WriterSample.score(row)
                {
                    mismatches += 1
                }
                row += 1
            }
        }
        #expect(row == 3_001)
        #expect(mismatches == 0)
    }

    @Test func misuseIsReportedNotCrashed() throws {
        let directory = try TemporaryDirectory("laclip-parquet-misuse")
        let columns = [
            ParquetWriterColumn(name: "a", type: .string, nullable: false),
            ParquetWriterColumn(name: "b", type: .int64, nullable: true),
        ]
        let nullInRequired = try ParquetFileWriter(
            path: directory.path("1.parquet").path, columns: columns,
            compression: .none, rowGroupRows: 10)
        nullInRequired.append(string: nil, column: 0)
        #expect(throws: ParquetError.self) { try nullInRequired.endRow() }

        let missing = try ParquetFileWriter(
            path: directory.path("2.parquet").path, columns: columns, compression: .none, rowGroupRows: 10)
        missing.append(string: "x", column: 0)
        let error = #expect(throws: ParquetError.self) { try missing.endRow() }
        #expect(error?.kind == .misuse)

        let wrongType = try ParquetFileWriter(
            path: directory.path("3.parquet").path, columns: columns, compression: .none, rowGroupRows: 10)
        wrongType.append(double: 1, column: 1)
        wrongType.append(string: "x", column: 7)
        #expect(throws: ParquetError.self) { try wrongType.close() }
    }
}
