import CaptionIO
import Foundation
import Prompting
import RewriteQueue

public enum BadRowPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad row and create nothing.
    case fail
    /// Record every bad row in the job and go on.
    case skip
}

/// What to do when the job directory already holds a job.
public enum ExistingJobPolicy: Sendable, Equatable {
    case refuse, append, replace
}

public struct EnqueueOptions: Sendable {
    /// The dataset files, in the order their captions are numbered (see `SourceList`).
    public var sources: [URL]
    public var job: URL
    public var sharding: Sharding = .default
    public var reader = CaptionReaderOptions()
    /// Style names, in order; nil = every source of the meta-pair library.
    public var styles: [String]?
    public var seed: UInt64 = 0
    public var dedup = false
    public var onBadRow = BadRowPolicy.fail
    public var existing = ExistingJobPolicy.refuse
    public var metaPairs: MetaPairLibrary
    public var metaPairsDirectory: String
    public var template: PromptTemplate
    public var templateFile: String

    public init(
        sources: [URL], job: URL, metaPairs: MetaPairLibrary, metaPairsDirectory: String,
        template: PromptTemplate, templateFile: String
    ) {
        self.sources = sources
        self.job = job
        self.metaPairs = metaPairs
        self.metaPairsDirectory = metaPairsDirectory
        self.template = template
        self.templateFile = templateFile
    }
}
