import Foundation
import Parquet
import TestSupport

/// The reader fixtures, written once per test run by one Python invocation and shared by the suites.
final class ReferenceFixtures: Sendable {
    let directory: TemporaryDirectory
    let rowCount: Int
    let files: [String]
    /// Column name → its values, row by row.
    let expected: [String: [ExpectedValue]]
    /// Single-page file name → (data_page_offset, total_compressed_size) of its only column chunk.
    let damageTargets: [String: (offset: Int, size: Int)]

    static let columnTypes: [(String, ParquetPhysicalType)] = [
        ("id", .int64), ("i32", .int32), ("f64", .double), ("flag", .boolean),
        ("s", .byteArray), ("cat", .byteArray), ("ls", .byteArray), ("b", .byteArray),
    ]

    static let shared: Result<ReferenceFixtures, any Error> = Result { try ReferenceFixtures() }

    static func get() throws -> ReferenceFixtures { try shared.get() }

    private init() throws {
        directory = try TemporaryDirectory("laclip-parquet-fixtures")
        try PythonReference.run(FixtureScript.source, [directory.url.path])
        let data = try Data(contentsOf: directory.path("manifest.json"))
        guard let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rows = manifest["rows"] as? Int, let files = manifest["files"] as? [String],
            let expected = manifest["expected"] as? [String: [Any]],
            let damage = manifest["damage"] as? [String: [String: Int]]
        else {
            throw TestSupportError("unreadable fixture manifest")
        }
        rowCount = rows
        self.files = files
        var columns: [String: [ExpectedValue]] = [:]
        for (name, type) in Self.columnTypes {
            columns[name] = (expected[name] ?? []).map { ExpectedValue.parse($0, as: type) }
        }
        self.expected = columns
        damageTargets = damage.mapValues {
            (offset: $0["data_page_offset"] ?? 0, size: $0["total_compressed_size"] ?? 0)
        }
    }

    func path(_ name: String) -> String { directory.path(name).path }
}
