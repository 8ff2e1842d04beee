/// Everything `laclip slurm` puts into the job-array script. Paths must be absolute: the script
/// runs on other machines, from whatever directory Slurm starts it in.
public struct SlurmArrayRequest: Sendable, Equatable {
    /// The job directory, on a filesystem every node mounts.
    public var jobDirectory: String
    /// Array tasks; task I works partition I/tasks of the job's shards.
    public var tasks: Int
    public var server: InferenceServerLaunch
    /// Task I first tries port `basePort + I`, then steps by `tasks` while the port is taken, so
    /// tasks sharing a node never race for the same port.
    public var basePort = 8200
    public var healthTimeoutSeconds = 900
    /// The `laclip` binary the tasks run.
    public var laclipPath: String
    /// Extra `laclip run` arguments, one word each (they are quoted into the script).
    public var runArguments: [String] = []
    /// Where Slurm writes each task's stdout/stderr (`%A_%a`) and each task its server log.
    public var logDirectory: String
    public var jobName = "laclip"
    public var gpusPerTask: Int?
    public var cpusPerTask: Int?
    public var time: String?
    public var partitionName: String?
    /// Further sbatch options, e.g. `--account=abc` or `--mem=32G` (a leading `#SBATCH` is dropped).
    public var extraSbatch: [String] = []

    public init(
        jobDirectory: String, tasks: Int, server: InferenceServerLaunch, laclipPath: String, logDirectory: String
    ) {
        self.jobDirectory = jobDirectory
        self.tasks = tasks
        self.server = server
        self.laclipPath = laclipPath
        self.logDirectory = logDirectory
    }
}

/// A request that cannot become a working script.
public struct SlurmScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
