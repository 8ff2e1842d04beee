import Foundation
import Parquet
import TestSupport
import Testing

@Suite(
    "Reading files written by pyarrow, duckdb and polars",
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct ReaderReferenceTests {
    static let flatColumns = ReferenceFixtures.columnTypes.map(\.0)

    /// Every flat column of `file`, row by row, against what pyarrow put in the table.
    /// The files FixtureScript writes (spelled out so that listing the tests never runs Python).
    static let files: [String] = {
        var names: [String] = []
        for codec in ["NONE", "SNAPPY", "GZIP", "ZSTD"] {
            for dictionary in ["dict", "plain"] {
                for version in [1, 2] { names.append("pa-\(codec)-\(dictionary)-v\(version).parquet") }
            }
        }
        names += ["pa-one-group.parquet", "pa-dict-fallback.parquet"]
        for version in [1, 2] {
            for codec in ["NONE", "ZSTD"] { names.append("pa-delta-\(codec)-v\(version).parquet") }
        }
        names += [
            "duckdb-zstd.parquet", "duckdb-snappy.parquet", "duckdb-uncompressed-v2.parquet", "duckdb-zstd-v2.parquet",
            "duckdb-gzip-rg.parquet",
        ]
        names += ["uncompressed", "snappy", "gzip", "zstd"].map { "polars-\($0).parquet" }
        return names
    }()

    @Test func theFixtureListMatchesTheScript() throws {
        #expect(try ReferenceFixtures.get().files == Self.files)
    }

    @Test(arguments: Self.files)
    func readsEveryValueExactly(file: String) throws {
        let fixtures = try ReferenceFixtures.get()
        let reader = try ParquetFileReader(path: fixtures.path(file), displayName: file)
        #expect(reader.rowCount == Int64(fixtures.rowCount))
        var rowsSeen = 0
        var mismatches: [String] = []
        for group in 0..<reader.rowGroupCount {
            let columns = try reader.readRowGroup(group, columns: Self.flatColumns)
            let rows = Int(reader.rowGroupRowCount(group))
            for (name, values) in zip(Self.flatColumns, columns) {
                #expect(values.rowCount == rows, "\(file) \(name) group \(group)")
                let expected = fixtures.expected[name] ?? []
                for row in 0..<min(rows, values.rowCount) where mismatches.count < 5 {
                    let want = rowsSeen + row < expected.count ? expected[rowsSeen + row] : .null
                    let got = ExpectedValue.of(values, row)
                    if got != want { mismatches.append("\(name) row \(rowsSeen + row): got \(got), want \(want)") }
                }
            }
            rowsSeen += rows
        }
        #expect(rowsSeen == fixtures.rowCount)
        #expect(mismatches.isEmpty, "\(file): \(mismatches.joined(separator: "; "))")
    }

    @Test(arguments: ["pa-SNAPPY-dict-v1.parquet", "duckdb-zstd.parquet", "polars-zstd.parquet"])
    func describesTheSchema(file: String) throws {
        let fixtures = try ReferenceFixtures.get()
        let reader = try ParquetFileReader(path: fixtures.path(file), displayName: file)
        let byName = Dictionary(reader.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(reader.columns.map(\.name) == Self.flatColumns + ["tags", "meta"])
        #expect(byName["s"]?.logicalKind == .string)
        #expect(byName["ls"]?.logicalKind == .string)
        #expect(byName["b"]?.logicalKind == .binary)
        #expect(byName["id"]?.logicalKind == .integer)
        #expect(byName["id"]?.physicalType == .int64)
        #expect(byName["i32"]?.physicalType == .int32)
        #expect(byName["f64"]?.physicalType == .double)
        #expect(byName["tags"]?.isNested == true)
        #expect(byName["meta"]?.isNested == true)
        #expect(byName["s"]?.isNested == false)
        #expect(byName["s"]?.isNullable == true)
    }

    @Test func selectingANestedColumnIsRefused() throws {
        let fixtures = try ReferenceFixtures.get()
        let reader = try ParquetFileReader(
            path: fixtures.path("pa-ZSTD-dict-v2.parquet"), displayName: "fixture.parquet")
        for name in ["tags", "meta"] {
            let error = #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["id", name]) }
            #expect(error?.kind == .nestedColumn)
            #expect(error?.column == name)
            #expect(error?.description.hasPrefix("fixture.parquet: column \(name): ") == true)
        }
        let unknown = #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["nope"]) }
        #expect(unknown?.kind == .noSuchColumn)
        #expect(unknown?.column == "nope")
    }

    @Test func bytesComeBackUnchangedAndNumbersRenderInDecimal() throws {
        let fixtures = try ReferenceFixtures.get()
        let reader = try ParquetFileReader(path: fixtures.path("pa-NONE-plain-v1.parquet"), displayName: "f")
        let columns = try reader.readRowGroup(0, columns: ["b", "s", "id", "f64", "i32"])
        // Row 0 of "b" starts with bytes that are not UTF-8; row 13 of "s" has non-ASCII text.
        #expect(columns[0].bytes(0).map(Array.init)?.prefix(5) == [0xFF, 0xFE, 0x00, 0x00, 0xC3])
        #expect(columns[0].withBytes(0) { $0.count } == 9)
        #expect(columns[1].string(13) == "row 13 alpha beta gamma alpha beta gamma alpha beta gamma café ☕ 日本語 🎉")
        #expect(columns[1].isNull(3))
        #expect(columns[1].bytes(3) == nil)
        #expect(columns[1].string(34) == "")
        #expect(columns[2].description(1) == String(8_589_934_592 - 1_099_511_627_776))
        #expect(columns[3].description(0) == "-100")
        #expect(columns[3].description(1) == "-99.75")
        #expect(columns[3].description(4) == nil)
        #expect(columns[4].description(2) == nil)
        #expect(columns[4].description(1) == "-42081")
    }
}
