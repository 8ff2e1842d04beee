import ArgumentParser
import Foundation
import Prompting
import RewriteQueue

struct PromptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Print the exact prompt of a caption in a style, and the demonstration draw behind it.",
        discussion: """
            From a job: laclip prompt --job DIR --caption ID --style S (the stored draw and the job's own
            meta pairs and template). Without a job: laclip prompt --text "..." --style S --seed N.
            """)

    @Option(help: "A job directory.")
    var job: String?

    @Option(
        help:
            "The caption id within the job (0-based, in source order); with --text, the id the draw is made for (default 0)."
    )
    var caption: Int64?

    @Option(help: "A caption to build a prompt for, outside any job.")
    var text: String?

    @Option(help: "The style (meta-pair source).")
    var style: String

    @Option(help: "The job seed the draw uses (with --text).")
    var seed: UInt64 = 0

    @Option(help: "The prompt token budget; a longer prompt has its caption cut.")
    var budget: Int = PromptBuilder.defaultBudget

    @Option(help: "Folder of meta-pair files (with --text).")
    var metaPairs: String?

    @Option(help: "Prompt template file (with --text).")
    var template: String?

    func validate() throws {
        if (job == nil) == (text == nil) {
            throw ValidationError("give either --job DIR --caption ID, or --text \"...\"")
        }
        if job != nil && caption == nil { throw ValidationError("--job needs --caption ID") }
    }

    func run() async throws {
        let preview: PromptPreview
        if let job, let caption {
            preview = try await fromJob(URL(fileURLWithPath: job), caption: caption)
        } else {
            let (metaDirectory, templateURL) = try ResourceLocator.promptInputs(
                metaPairs: metaPairs, template: template)
            preview = try await PromptPreview.make(
                caption: text ?? "", style: style, jobSeed: seed, captionID: caption ?? 0,
                library: try MetaPairLibrary.load(directory: metaDirectory),
                template: try PromptTemplate.load(url: templateURL), budget: budget)
        }
        print(preview.report)
    }

    private func fromJob(_ directory: URL, caption id: Int64) async throws -> PromptPreview {
        let job = try Job(directory: directory, readonly: true)
        let style = try job.style(named: style)
        guard let shard = job.shard(containing: id) else {
            throw ValidationError(
                "caption \(id) is not in this job (it holds captions 0..<\(job.shards.last.map { $0.firstCaption + Int64($0.captions) } ?? 0))"
            )
        }
        let queue = try job.openShard(shard, readonly: true)
        guard var caption = try queue.caption(id) else {
            throw ValidationError("caption \(id) is missing from \(shard.file)")
        }
        if let canonical = caption.canonicalID {
            print(
                "caption \(id) is a duplicate of caption \(canonical) (--dedup): its rewrites are those of \(canonical)"
            )
            guard
                let first = try job.shard(containing: canonical).map({ try job.openShard($0, readonly: true) })?
                    .caption(canonical)
            else {
                throw ValidationError("caption \(canonical) is missing")
            }
            caption = first
        }
        guard
            let task = try queue.tasks(ofCaption: caption.id).first(where: { $0.id.style == style.index })
                ?? job.shard(containing: caption.id).map({ try job.openShard($0, readonly: true) })?
                .tasks(ofCaption: caption.id).first(where: { $0.id.style == style.index })
        else { throw ValidationError("caption \(caption.id) has no \(style.name) task") }
        print(
            "caption \(caption.id) (\(caption.image ?? "no image"), source row \(caption.row), line \(caption.line)); task \(task.state)"
        )
        return try await PromptPreview.make(
            caption: caption.text, draw: DemonstrationDraw(packed: task.draw),
            source: job.definition.demonstrations(ofStyle: style.index), template: job.definition.prompt, budget: budget
        )
    }
}
