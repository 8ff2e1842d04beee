import Foundation
import Ingest
import IngestTestSupport
import RewriteQueue
import TestSupport
import Testing

/// A new job is built in a staging directory and renamed into place: a failed enqueue leaves
/// no job (or the previous one) and no staging directory.
@Suite struct StagingTests {
    static let good = ["a dog on a beach", "a cat on a sofa", "a red car in the rain"]
    static let tooLong = "a caption far longer than the forty characters this test allows"

    /// `job`'s siblings other than the sources: what an enqueue left next to it.
    static func leftovers(beside job: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: job.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".") }
    }

    static func options(_ directory: TemporaryDirectory, captions: [String]) throws -> EnqueueOptions {
        let source = try directory.write(
            "captions-\(UUID().uuidString.prefix(6)).txt", captions.joined(separator: "\n") + "\n")
        var options = try InProcessJob.options(sources: [source], job: directory.path("job"))
        options.styles = ["chatgpt"]
        options.reader.maxCaptionCharacters = 40
        return options
    }

    @Test func aBadRowLeavesNoJobAndNoStagingDirectory() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        let options = try Self.options(directory, captions: Self.good + [Self.tooLong])
        let error = #expect(throws: EnqueueError.self) { try Enqueue.run(options, logger: quietLogger) }
        #expect(error?.kind == .badRow)
        #expect(!FileManager.default.fileExists(atPath: options.job.path))
        #expect(try Self.leftovers(beside: options.job) == [])
    }

    @Test func anExistingJobIsRefusedWithoutAppendOrForce() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        let options = try Self.options(directory, captions: Self.good)
        _ = try Enqueue.run(options, logger: quietLogger)
        let again = try Self.options(directory, captions: ["a bird in a tree"])
        let error = #expect(throws: EnqueueError.self) { try Enqueue.run(again, logger: quietLogger) }
        #expect(error?.kind == .jobExists)
        #expect(try Job(directory: options.job, readonly: true).counts().total == 3)
    }

    @Test func aSuccessfulEnqueueLeavesOnlyTheJob() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        let options = try Self.options(directory, captions: Self.good)
        let report = try Enqueue.run(options, logger: quietLogger)
        #expect(report.captions == 3)
        #expect(try Self.leftovers(beside: options.job) == [])
        let job = try Job(directory: options.job, readonly: true)
        #expect(try job.counts().total == 3)
    }

    @Test func aFailedReplaceKeepsThePreviousJob() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        let first = try Self.options(directory, captions: Self.good)
        _ = try Enqueue.run(first, logger: quietLogger)

        var replace = try Self.options(directory, captions: ["a bird in a tree", Self.tooLong])
        replace.existing = .replace
        let error = #expect(throws: EnqueueError.self) { try Enqueue.run(replace, logger: quietLogger) }
        #expect(error?.kind == .badRow)
        let job = try Job(directory: first.job, readonly: true)
        #expect(try job.manifest.sources().map(\.path) == [first.sources[0].standardizedFileURL.path])
        #expect(try job.counts().total == 3)
        #expect(try Self.leftovers(beside: first.job) == [])
    }

    @Test func aSuccessfulReplaceSwapsTheJobWhole() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        _ = try Enqueue.run(try Self.options(directory, captions: Self.good), logger: quietLogger)
        var replace = try Self.options(directory, captions: ["a bird in a tree"])
        replace.existing = .replace
        _ = try Enqueue.run(replace, logger: quietLogger)

        let job = try Job(directory: replace.job, readonly: true)
        #expect(try job.manifest.sources().map(\.path) == [replace.sources[0].standardizedFileURL.path])
        #expect(try job.counts().total == 1)
        #expect(try Self.leftovers(beside: replace.job) == [])
    }
}
