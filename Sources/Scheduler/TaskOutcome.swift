import RewriteQueue

/// What became of one claimed task in this process.
enum TaskOutcome: Sendable {
    case done(TaskResult, resamples: Int)
    case failed(TaskFailure, resamples: Int)
    /// Not attempted to the end (every endpoint down, or shutdown): back to pending, no attempt spent.
    case released(ClaimedTask, allEndpointsDown: Bool)
}
