import Foundation
import Parquet
import RewriteQueue

/// `--format parquet`: one row per caption in source order. Columns: the source's id column
/// (when it had one), its image/url column and its caption column, under the names the source
/// used (so img2dataset's `--url_col`/`--caption_col` stay what they were), then one column
/// per style, then per style `<style>_model`, `<style>_seed` and `<style>_fidelity` (null
/// where the original stands in for a missing, under-2-word or under-`--min-fidelity` rewrite;
/// the score is also null where the rewrite was never scored).
final class ParquetExportWriter: ExportWriter {
    let needsMetadata = true
    private let writer: ParquetFileWriter
    private let hasID: Bool
    private let styleCount: Int

    init(
        path: String, columns names: SourceColumns, styles: [String], compression: ParquetExportCompression,
        rowGroupRows: Int
    ) throws {
        let fixed = [names.id, names.image, names.caption].compactMap { $0 }
        let perStyle = styles.flatMap { ["\($0)_model", "\($0)_seed", "\($0)_fidelity"] }
        let all = fixed + styles + perStyle
        if let clash = Dictionary(grouping: all, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ExportError(
                .unsupported,
                "two Parquet columns would be named '\(clash)' (a style has the name of a source column); rename the style"
            )
        }
        var columns: [ParquetWriterColumn] = fixed.map { ParquetWriterColumn(name: $0, type: .string, nullable: true) }
        columns += styles.map { ParquetWriterColumn(name: $0, type: .string, nullable: false) }
        for style in styles {
            columns.append(ParquetWriterColumn(name: "\(style)_model", type: .string, nullable: true))
            columns.append(ParquetWriterColumn(name: "\(style)_seed", type: .int64, nullable: true))
            columns.append(ParquetWriterColumn(name: "\(style)_fidelity", type: .double, nullable: true))
        }
        let codec: ParquetCompression =
            switch compression {
            case .snappy: .snappy
            case .zstd: .zstd
            case .gzip: .gzip
            case .none: .none
            }
        do {
            writer = try ParquetFileWriter(path: path, columns: columns, compression: codec, rowGroupRows: rowGroupRows)
        } catch let error as ParquetError {
            throw ExportError(.fileSystem, error.description)
        }
        hasID = names.id != nil
        styleCount = styles.count
    }

    func write(_ row: ExportRow) throws {
        do {
            var column = 0
            if hasID {
                writer.append(utf8: row.key, column: column)
                column += 1
            }
            writer.append(utf8: row.image, column: column)
            writer.append(utf8: row.caption, column: column + 1)
            column += 2
            for rewrite in row.rewrites {
                writer.append(utf8: rewrite, column: column)
                column += 1
            }
            for s in 0..<styleCount {
                let filled = row.filled[s]
                writer.append(utf8: filled ? nil : row.metas[s].model, column: column)
                writer.append(int64: filled ? nil : row.metas[s].seed, column: column + 1)
                let score = row.fidelity[s]
                writer.append(double: filled || score.isNaN ? nil : Double(score), column: column + 2)
                column += 3
            }
            try writer.endRow()
        } catch let error as ParquetError {
            throw ExportError(.fileSystem, error.description)
        }
    }

    func finish(report: inout ExportReport) throws {
        do { try writer.close() } catch let error as ParquetError { throw ExportError(.fileSystem, error.description) }
    }
}
