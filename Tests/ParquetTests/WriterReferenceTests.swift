import Foundation
import Parquet
import TestSupport
import Testing

@Suite(
    "Files ParquetFileWriter writes, read by pyarrow, duckdb and polars",
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct WriterReferenceTests {
    @Test func everyCompressionReadsBackIdentically() throws {
        let directory = try TemporaryDirectory("laclip-parquet-writer")
        var arguments: [String] = []
        for compression in ParquetCompression.allCases {
            let path = directory.path("w-\(compression).parquet").path
            try WriterSample.write(to: path, rows: 2_600, compression: compression, rowGroupRows: 1_000)
            arguments.append("\(path):2600")
        }
        // Several 1 MiB pages per column chunk.
        let large = directory.path("w-large.parquet").path
        try WriterSample.write(to: large, rows: 120_000, compression: .snappy, rowGroupRows: 70_000)
        arguments.append("\(large):120000")
        let empty = directory.path("w-empty.parquet").path
        try WriterSample.write(to: empty, rows: 0, compression: .zstd, rowGroupRows: 10)
        arguments.append("\(empty):0")

        let output = try PythonReference.run(WriterCheckScript.source, arguments)
        let problems = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String]
        #expect(problems == [], "\(problems ?? [output])")
    }
}
