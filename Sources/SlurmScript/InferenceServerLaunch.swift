/// How each array task starts the inference server it works against.
public enum InferenceServerLaunch: Sendable, Equatable {
    /// laclip's embedded llama.cpp server, started and stopped through `scripts/llama-server.sh`
    /// (`script`, an absolute path) with a per-task port, run folder and log. `slots` sets the
    /// server's parallel slots (nil: the script's default).
    case embedded(script: String, slots: Int?)
    /// Any server (vLLM, llama.cpp, TGI, ...): a shell command that serves in the foreground.
    /// Every `{port}` in it becomes the task's port when the task starts; the port is also in
    /// `$LACLIP_SERVER_PORT`.
    case command(String)

    public static let portPlaceholder = "{port}"
}
