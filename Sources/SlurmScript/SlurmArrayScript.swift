/// Renders the sbatch script of a job array whose task I starts its own inference server, waits
/// until it answers `/health` with 200, runs `laclip run --partition I/N` against it, and stops
/// the server however the task ends.
public enum SlurmArrayScript {
    public static func render(_ request: SlurmArrayRequest) throws(SlurmScriptError) -> String {
        try validate(request)
        var lines = ["#!/bin/bash"]
        lines.append(
            "# laclip job array, written by `laclip slurm`: task I of \(request.tasks) works partition I/\(request.tasks)"
        )
        lines.append("# of the shards of \(request.jobDirectory.replacing("\n", with: " ")).")
        lines.append("# Submit: sbatch THIS_FILE. A task whose shards are all done exits at once, so finished or")
        lines.append("# failed tasks can be re-submitted alone: sbatch --array=2,5 THIS_FILE.")
        lines += try sbatchDirectives(request).map { "#SBATCH \($0)" }
        lines.append("set -uo pipefail")
        lines.append("")
        lines.append("JOB_DIR=\(ShellQuoting.quote(request.jobDirectory))")
        lines.append("LACLIP=\(ShellQuoting.quote(request.laclipPath))")
        lines.append("LOG_DIR=\(ShellQuoting.quote(request.logDirectory))")
        lines.append("TASKS=\(request.tasks)")
        lines.append("BASE_PORT=\(request.basePort)")
        lines.append("HEALTH_TIMEOUT=\(request.healthTimeoutSeconds)")
        lines.append("RUN_ARGS=(\(request.runArguments.map(ShellQuoting.quote).joined(separator: " ")))")
        switch request.server {
        case .embedded(let script, let slots):
            lines.append("EMBEDDED_SERVER=\(ShellQuoting.quote(script))")
            lines.append("SERVER_SLOTS=\(slots.map(String.init) ?? "")")
        case .command(let command):
            lines.append("SERVER_CMD=\(ShellQuoting.quote(command))")
        }
        lines.append(commonBody)
        switch request.server {
        case .embedded: lines.append(embeddedServer)
        case .command: lines.append(commandServer)
        }
        lines.append(mainBody)
        return lines.joined(separator: "\n") + "\n"
    }

    static func sbatchDirectives(_ request: SlurmArrayRequest) throws(SlurmScriptError) -> [String] {
        let logs = try outputPattern(directory: request.logDirectory)
        var directives = [
            "--job-name=\(try sbatchValue(request.jobName))",
            "--array=0-\(request.tasks - 1)",
            "--ntasks=1",
            "--output=\(try sbatchValue(logs + "/laclip-%A_%a.out"))",
            "--error=\(try sbatchValue(logs + "/laclip-%A_%a.err"))",
            // Two minutes before the time limit, SIGTERM to the batch shell alone: its trap
            // makes laclip drain in-flight requests before Slurm kills everything.
            "--signal=B:TERM@120",
        ]
        if let cpus = request.cpusPerTask { directives.append("--cpus-per-task=\(cpus)") }
        if let gpus = request.gpusPerTask { directives.append("--gpus-per-task=\(gpus)") }
        if let time = request.time { directives.append("--time=\(try sbatchValue(time))") }
        if let partition = request.partitionName { directives.append("--partition=\(try sbatchValue(partition))") }
        for extra in request.extraSbatch {
            var option = Substring(extra).drop { $0 == " " }
            if option.hasPrefix("#SBATCH") { option = option.dropFirst("#SBATCH".count).drop { $0 == " " } }
            guard option.hasPrefix("-"), !option.contains("\n") else {
                throw SlurmScriptError("--extra-sbatch '\(extra)' is not an sbatch option (e.g. --account=abc)")
            }
            directives.append(String(option))
        }
        return directives
    }

    /// sbatch reads `#SBATCH` lines itself: a value with spaces must be double-quoted, and
    /// there is no escape for a double quote inside one.
    static func sbatchValue(_ value: String) throws(SlurmScriptError) -> String {
        if value.contains(where: \.isNewline) {
            throw SlurmScriptError("an sbatch value cannot contain a line break: '\(value)'")
        }
        guard value.contains(where: \.isWhitespace) || value.isEmpty else { return value }
        if value.contains("\"") {
            throw SlurmScriptError("an sbatch value with spaces cannot contain a double quote: '\(value)'")
        }
        return "\"\(value)\""
    }

    /// Slurm expands `%` patterns in output paths (`%%` is a literal `%`) and expands none at
    /// all once the path holds a backslash.
    static func outputPattern(directory: String) throws(SlurmScriptError) -> String {
        if directory.contains("\\") {
            throw SlurmScriptError(
                "the log directory cannot contain a backslash (Slurm would not expand %A_%a): \(directory)")
        }
        return directory.replacing("%", with: "%%")
    }

    static func validate(_ request: SlurmArrayRequest) throws(SlurmScriptError) {
        guard request.tasks >= 1 else { throw SlurmScriptError("--tasks must be at least 1") }
        guard (1...65535).contains(request.basePort), request.basePort + request.tasks - 1 <= 65535 else {
            throw SlurmScriptError(
                "ports \(request.basePort)...\(request.basePort + request.tasks - 1) do not fit below 65536")
        }
        guard request.healthTimeoutSeconds >= 1 else {
            throw SlurmScriptError("the health timeout must be at least 1 second")
        }
        var paths = [
            ("job directory", request.jobDirectory), ("laclip binary", request.laclipPath),
            ("log directory", request.logDirectory),
        ]
        if case .embedded(let script, let slots) = request.server {
            paths.append(("server script", script))
            if let slots, slots < 1 { throw SlurmScriptError("the embedded server needs at least 1 slot") }
        }
        for (what, path) in paths where !path.hasPrefix("/") {
            throw SlurmScriptError("the \(what) must be an absolute path (array tasks start elsewhere): \(path)")
        }
        if case .command(let command) = request.server {
            if command.allSatisfy(\.isWhitespace) { throw SlurmScriptError("the server command is empty") }
            if !command.contains(InferenceServerLaunch.portPlaceholder) && !command.contains("LACLIP_SERVER_PORT") {
                throw SlurmScriptError(
                    "the server command must listen on the task's port: put {port} (or $LACLIP_SERVER_PORT) in it")
            }
        }
        if let gpus = request.gpusPerTask, gpus < 1 { throw SlurmScriptError("--gpus-per-task must be at least 1") }
        if let cpus = request.cpusPerTask, cpus < 1 { throw SlurmScriptError("--cpus-per-task must be at least 1") }
    }

    private static let commonBody = #"""

        : "${SLURM_ARRAY_TASK_ID:?this script is a Slurm job array: submit it with sbatch}"
        TASK=$SLURM_ARRAY_TASK_ID
        TAG="${SLURM_ARRAY_JOB_ID:-$$}_$TASK"
        SERVER_LOG="$LOG_DIR/server-$TAG.log"
        say() { echo "laclip task $TASK/$TASKS: $*" >&2; }

        # Something already listening means the port is taken (another job on this node).
        port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
        PORT=$((BASE_PORT + TASK))
        for _ in $(seq 1 100); do port_taken "$PORT" || break; PORT=$((PORT + TASKS)); done
        if port_taken "$PORT"; then say "no free port from $((BASE_PORT + TASK)) in steps of $TASKS"; exit 1; fi
        export LACLIP_SERVER_PORT=$PORT
        """#

    private static let embeddedServer = #"""
        export LACLIP_SERVER_RUN_DIR="${TMPDIR:-/tmp}/laclip-slurm-$TAG"
        export LACLIP_SERVER_LOG="$SERVER_LOG"
        if [[ -n $SERVER_SLOTS ]]; then export LACLIP_SERVER_SLOTS=$SERVER_SLOTS; fi
        server_pid=""
        start_server() {
          say "starting the embedded llama-server on port $PORT (log $SERVER_LOG)"
          "$EMBEDDED_SERVER" start || return 1
          server_pid=$(cat "$LACLIP_SERVER_RUN_DIR/llama-server-$PORT.pid")
        }
        stop_server() {
          "$EMBEDDED_SERVER" stop || true
          rm -rf "$LACLIP_SERVER_RUN_DIR"
        }
        """#

    private static let commandServer = #"""
        server_pid=""
        start_server() {
          local command=${SERVER_CMD//\{port\}/$PORT}
          say "starting the server on port $PORT (log $SERVER_LOG): $command"
          # Its own session, so that stopping it reaches every process it forks.
          setsid bash -c "$command" </dev/null >"$SERVER_LOG" 2>&1 &
          server_pid=$!
        }
        stop_server() {
          [[ -n $server_pid ]] || return 0
          kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
          for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
          kill -KILL -- "-$server_pid" 2>/dev/null || true
          wait "$server_pid" 2>/dev/null || true
          say "server stopped"
        }
        """#

    private static let mainBody = #"""

        wait_healthy() {
          local deadline=$((SECONDS + HEALTH_TIMEOUT)) code
          while :; do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null)
            [[ $code == 200 ]] && return 0
            if [[ -n $server_pid ]] && ! kill -0 "$server_pid" 2>/dev/null; then
              say "the server exited before it was healthy; last lines of $SERVER_LOG:"; tail -n 30 "$SERVER_LOG" >&2; return 1
            fi
            if (( SECONDS >= deadline )); then say "the server is not healthy after ${HEALTH_TIMEOUT}s (last answer: ${code:-none})"; return 1; fi
            sleep 1
          done
        }

        run_pid=""
        cleanup() { trap - EXIT TERM INT; stop_server; }
        # SIGTERM to this shell (--signal=B:TERM before the time limit) becomes laclip's Ctrl-C:
        # in-flight requests drain and their leases go back to pending before the server stops.
        on_signal() {
          say "signalled: draining"
          if [[ -n $run_pid ]]; then kill -INT "$run_pid" 2>/dev/null; wait "$run_pid"; fi
          cleanup
          exit 143
        }
        trap cleanup EXIT
        trap on_signal TERM INT

        say "on $(hostname), partition $TASK/$TASKS of $JOB_DIR"
        start_server || exit 1
        wait_healthy || exit 1
        # A background command of a script ignores SIGINT unless told otherwise: laclip needs it to drain.
        (trap - INT QUIT; exec "$LACLIP" run --job "$JOB_DIR" --server "http://127.0.0.1:$PORT" --partition "$TASK/$TASKS" "${RUN_ARGS[@]}") &
        run_pid=$!
        wait "$run_pid"
        status=$?
        run_pid=""
        say "laclip run exited with status $status"
        exit "$status"
        """#
}
