import Foundation
import SlurmScript
import TestSupport
import Testing

@Suite("sbatch script: directives, quoting, validation")
struct SlurmArrayScriptTests {
    static func request(tasks: Int = 3, server: InferenceServerLaunch = .command("serve --port {port}"))
        -> SlurmArrayRequest
    {
        SlurmArrayRequest(
            jobDirectory: "/data/my job", tasks: tasks, server: server, laclipPath: "/opt/laclip/bin/laclip",
            logDirectory: "/data/my job/slurm-logs")
    }

    static func directives(_ script: String) -> [String] {
        script.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map { String($0.dropFirst("#SBATCH ".count)) }
    }

    @Test func arrayCoversTasksAndLogsArePerTask() throws {
        var request = Self.request(tasks: 5)
        request.cpusPerTask = 8
        request.gpusPerTask = 1
        request.time = "2-00:00:00"
        request.partitionName = "gpu"
        request.extraSbatch = ["--account=vision", "#SBATCH --mem=32G"]
        let script = try SlurmArrayScript.render(request)
        #expect(script.hasPrefix("#!/bin/bash\n"))
        #expect(
            Self.directives(script) == [
                "--job-name=laclip", "--array=0-4", "--ntasks=1",
                "--output=\"/data/my job/slurm-logs/laclip-%A_%a.out\"",
                "--error=\"/data/my job/slurm-logs/laclip-%A_%a.err\"", "--signal=B:TERM@120",
                "--cpus-per-task=8", "--gpus-per-task=1", "--time=2-00:00:00", "--partition=gpu",
                "--account=vision", "--mem=32G",
            ])
        #expect(script.contains("\nTASKS=5\n"))
        #expect(script.contains("\nJOB_DIR='/data/my job'\n"))
        // sbatch stops reading directives at the first command: they must all come first.
        let firstCommand = script.split(separator: "\n").firstIndex { !$0.hasPrefix("#") }!
        #expect(!script.split(separator: "\n")[firstCommand...].contains { $0.hasPrefix("#SBATCH") })
    }

    @Test func optionalDirectivesAreLeftOutWhenNotGiven() throws {
        let directives = Self.directives(try SlurmArrayScript.render(Self.request(tasks: 1)))
        #expect(directives.contains("--array=0-0"))
        #expect(
            !directives.contains {
                $0.hasPrefix("--gpus") || $0.hasPrefix("--time") || $0.hasPrefix("--partition")
                    || $0.hasPrefix("--cpus")
            })
    }

    @Test func percentInTheLogDirectoryIsNotAPattern() throws {
        var request = Self.request()
        request.logDirectory = "/data/100%/logs"
        #expect(
            Self.directives(try SlurmArrayScript.render(request)).contains("--output=/data/100%%/logs/laclip-%A_%a.out")
        )
    }

    @Test func badRequestsAreRefusedWithAReason() {
        func refusal(_ change: (inout SlurmArrayRequest) -> Void) -> String {
            var request = Self.request()
            change(&request)
            do {
                _ = try SlurmArrayScript.render(request)
                return "rendered"
            } catch {
                return error.description
            }
        }
        #expect(refusal { $0.tasks = 0 }.contains("--tasks"))
        #expect(refusal { $0.jobDirectory = "relative/job" }.contains("absolute"))
        #expect(refusal { $0.laclipPath = "laclip" }.contains("absolute"))
        #expect(refusal { $0.server = .command("vllm serve model") }.contains("{port}"))
        #expect(refusal { $0.server = .command("  ") }.contains("empty"))
        #expect(refusal { $0.server = .embedded(script: "/x/llama-server.sh", slots: 0) }.contains("slot"))
        #expect(refusal { $0.extraSbatch = ["account=x"] }.contains("not an sbatch option"))
        #expect(refusal { $0.extraSbatch = ["--comment=a\n#SBATCH --x"] }.contains("not an sbatch option"))
        #expect(refusal { $0.time = "1:00\n" }.contains("line break"))
        #expect(refusal { $0.jobName = "a \"b\"" }.contains("double quote"))
        #expect(refusal { $0.logDirectory = "/logs\\x" }.contains("backslash"))
        #expect(refusal { $0.basePort = 65534 }.contains("65536"))
        #expect(refusal { $0.server = .command("serve --port $LACLIP_SERVER_PORT") } == "rendered")
    }

    @Test(arguments: [
        InferenceServerLaunch.command("serve --port {port}"),
        .embedded(script: "/opt/laclip/scripts/llama-server.sh", slots: 2),
    ])
    func bashParsesTheScript(_ server: InferenceServerLaunch) throws {
        var request = Self.request(server: server)
        request.runArguments = ["--concurrency", "4", "it's odd", "$HOME"]
        let dir = try TemporaryDirectory("laclip-sbatch-syntax")
        let file = try dir.write("job.sbatch", try SlurmArrayScript.render(request))
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-n", file.path])
        #expect(output.status == 0, "\(output)")
    }
}
