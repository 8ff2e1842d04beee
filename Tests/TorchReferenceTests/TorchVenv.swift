import Foundation
import TestSupport

/// The PyTorch venv `scripts/torch-env.sh torch` builds (`make test` and `make torch-env` run
/// it), and the reference script that runs in it.
enum TorchVenv {
    /// `LACLIP_PY_TORCH` overrides where the venv's python is; the default is the cache path the
    /// script installs into (keep its version in step with TORCH_VERSION there).
    static var python: URL {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["LACLIP_PY_TORCH"] { return URL(fileURLWithPath: override) }
        let cache =
            environment["LACLIP_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/laclip").path
        return URL(fileURLWithPath: cache).appendingPathComponent("venv-torch-1/bin/python")
    }

    static var script: URL { RepositoryPaths.root.appendingPathComponent("scripts/torch_clip_reference.py") }

    /// nil when the venv is there; else why not, for the suite's skip comment.
    static var unavailableReason: String? {
        FileManager.default.isExecutableFile(atPath: python.path)
            ? nil : "no PyTorch venv at \(python.path): run scripts/torch-env.sh torch (make test tries to)"
    }
}
