import Foundation

/// The cached venv of Python reference implementations (pyarrow, duckdb, polars, fastparquet,
/// webdataset, img2dataset) that `make test` builds with `scripts/python-env.sh formats`.
/// Tests use them as oracles: they write the files laclip must read and read what it writes.
public enum PythonReference {
    /// `LACLIP_PY_FORMATS` overrides where the venv's python is.
    public static var python: URL {
        if let override = ProcessInfo.processInfo.environment["LACLIP_PY_FORMATS"] {
            return URL(fileURLWithPath: override)
        }
        let cache =
            ProcessInfo.processInfo.environment["LACLIP_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/laclip").path
        return URL(fileURLWithPath: cache).appendingPathComponent("venv-formats-1/bin/python")
    }

    /// nil when the venv is there; else why not (for a test's `.enabled(if:)` comment).
    public static var unavailableReason: String? {
        FileManager.default.isExecutableFile(atPath: python.path)
            ? nil : "no reference venv at \(python.path): run scripts/python-env.sh formats (make test does)"
    }

    public static var isAvailable: Bool { unavailableReason == nil }

    /// Runs `python -c SCRIPT ARGS...` in the venv; throws with both streams when it fails.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = [], stdin: String? = nil) throws -> String {
        let output = try ProcessRunner.run(python, ["-c", script] + arguments, stdin: stdin)
        guard output.status == 0 else { throw PythonReferenceError(output: output) }
        return output.stdout
    }
}

public struct PythonReferenceError: Error, CustomStringConvertible {
    public var output: ProcessOutput
    public var description: String { "reference script failed: \(output)" }
}
