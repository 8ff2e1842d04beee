/// Groups a shard's members into samples the way webdataset's `tarfile_to_samples` does:
/// only regular files; metadata names (`__…__`) and names without a key are dropped;
/// consecutive members with the same key form one sample. Data is not read: callers read
/// the members they want through `reader`.
public final class WebDatasetSampleReader {
    public let reader: TarReader
    /// The member that ended the previous sample by starting the next one.
    private var lookahead: (key: WebDatasetKey, entry: TarEntry)?

    public init(reader: TarReader) {
        self.reader = reader
    }

    public func next() throws -> WebDatasetSample? {
        guard let first = try lookahead ?? nextKeyedEntry() else { return nil }
        lookahead = nil
        var sample = WebDatasetSample(key: first.key.key, members: [])
        var current: (key: WebDatasetKey, entry: TarEntry)? = first
        while let (key, entry) = current {
            guard key.key == sample.key else {
                lookahead = (key, entry)
                break
            }
            let fileExtension = key.lowercasedExtension
            if sample.member(withExtension: fileExtension) != nil {
                throw WebDatasetGroupingError(
                    file: reader.displayName, key: sample.key, fileExtension: fileExtension,
                    offset: entry.headerOffset)
            }
            sample.members.append(WebDatasetMember(entry: entry, fileExtension: fileExtension))
            current = try nextKeyedEntry()
        }
        return sample
    }

    private func nextKeyedEntry() throws -> (key: WebDatasetKey, entry: TarEntry)? {
        while let entry = try reader.next() {
            guard entry.isRegularFile, !WebDatasetKey.isSkippedMetadata(entry.name),
                let key = WebDatasetKey(memberName: entry.name)
            else { continue }
            return (key, entry)
        }
        return nil
    }
}
