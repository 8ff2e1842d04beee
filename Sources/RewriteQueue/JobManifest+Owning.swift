import Foundation

extension JobManifest {
    /// How long a shard stays owned without a renewal. Holders renew every third of it, so a
    /// holder must miss two renewals in a row (a stopped or wedged process) before it is lost.
    public static let ownershipMillis: Int64 = 60_000

    /// Runs `body` as the owner of `shard`, the one protocol every writer of shard files uses
    /// (run, score, retry): acquire, renew while `body` runs, release after. Returns nil without
    /// running `body` when another live process owns the shard.
    ///
    /// When a renewal finds the shard taken over (this process went unrenewed for a whole TTL,
    /// e.g. stopped with SIGSTOP), `onLost` is called once so the caller can stop writing;
    /// task writes stay fenced by their lease tokens meanwhile.
    public func whileOwning<T>(
        shard: Int, worker: WorkerIdentity, ttlMillis: Int64 = ownershipMillis,
        onLost: @escaping @Sendable () -> Void = {},
        _ body: () async throws -> T
    ) async throws -> T? {
        guard try await Blocking.run({ try self.acquire(shard: shard, worker: worker, ttlMillis: ttlMillis) }) else {
            return nil
        }
        let heartbeat = Task { [self] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .milliseconds(ttlMillis / 3))
                } catch {
                    return
                }
                // A failed renewal (a busy manifest) is retried at the next beat: the TTL
                // leaves room for one.
                guard
                    let owned = try? await Blocking.run({
                        try self.renewOwnership(worker: worker, ttlMillis: ttlMillis)
                    })
                else { continue }
                if !owned.contains(shard) {
                    onLost()
                    return
                }
            }
        }
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        heartbeat.cancel()
        _ = try? await Blocking.run { try self.releaseOwnership(worker: worker, shard: shard) }
        return try result.get()
    }
}
