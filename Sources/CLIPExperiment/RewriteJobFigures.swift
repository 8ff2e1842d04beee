import Foundation

/// The rewrite job's own account (`laclip status --json`): what finished and how long the
/// rewriting took, which a resumed experiment cannot time itself.
struct RewriteJobFigures: Decodable {
    struct Totals: Decodable {
        var done: Int
        var dead: Int
    }

    struct Span: Decodable {
        var rewrites: Int
        var seconds: Double
        var rewritesPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case rewrites, seconds
            case rewritesPerSecond = "rewrites_per_second"
        }
    }

    struct Throughput: Decodable {
        var sinceStart: Span?

        enum CodingKeys: String, CodingKey { case sinceStart = "since_start" }
    }

    /// Per style (`fidelity` in the status JSON).
    struct Fidelity: Decodable {
        var style: String
        var scored: Int
        var median: Double?
        var p10: Double?
        var resampledTasks: Int
        var contentResamples: Int

        enum CodingKeys: String, CodingKey {
            case style, scored, median, p10
            case resampledTasks = "resampled_tasks"
            case contentResamples = "content_resamples"
        }
    }

    var totals: Totals
    var throughput: Throughput
    var fidelity: [Fidelity]?

    static func read(job: URL, with laclip: LaclipProcess) throws -> RewriteJobFigures {
        let json = try laclip.capture(["status", "--job", job.path, "--json"])
        do {
            return try JSONDecoder().decode(RewriteJobFigures.self, from: json)
        } catch {
            throw ExperimentError(description: "laclip status --json for \(job.path) printed what the experiment cannot read: \(error)")
        }
    }
}
