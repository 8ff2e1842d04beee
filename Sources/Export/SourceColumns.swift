import Foundation
import RewriteQueue

/// What an export needs of a source's stored `CaptionLayout` (decoded loosely: layouts of older
/// jobs lack the newer fields).
struct SourceLayoutFormat: Decodable {
    var format: String
    var captionColumn: String?
    var imageColumn: String?
    var idColumn: String?
    var hasHeader: Bool?

    init?(_ source: SourceRecord) {
        guard let layout = try? JSONDecoder().decode(Self.self, from: Data(source.layout.utf8)) else { return nil }
        self = layout
    }
}

/// The names the id, image and caption columns get in exports that have a header: the first
/// source's own names where it had a header row (so img2dataset's `--url_col`/`--caption_col`
/// and a LAION `uid` stay what they were), else `key`, `image`, `caption`.
struct SourceColumns: Equatable {
    /// nil: no source of the job has an id column, so no export writes one.
    var id: String?
    var image: String
    var caption: String

    init(id: String?, image: String, caption: String) {
        self.id = id
        self.image = image
        self.caption = caption
    }

    init(sources: [SourceRecord]) {
        let layouts = sources.compactMap(SourceLayoutFormat.init)
        let keyed = layouts.contains { $0.idColumn != nil }
        guard let first = layouts.first, first.hasHeader == true, first.format != "webdataset" else {
            self.init(id: keyed ? "key" : nil, image: "image", caption: "caption")
            return
        }
        self.init(
            id: keyed ? first.idColumn ?? "key" : nil, image: first.imageColumn ?? "image",
            caption: first.captionColumn ?? "caption")
    }
}
