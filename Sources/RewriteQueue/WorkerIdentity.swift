import Foundation

/// Who holds a lease: a name unique to one process run, plus where it runs so that a dead
/// process on this host can be recognised without waiting for its leases to expire.
public struct WorkerIdentity: Sendable, Equatable, CustomStringConvertible {
    public let owner: String
    public let host: String
    public let pid: Int32

    public init(owner: String, host: String, pid: Int32) {
        self.owner = owner
        self.host = host
        self.pid = pid
    }

    public static func current() -> WorkerIdentity {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let nonce = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return WorkerIdentity(owner: "\(host):\(pid):\(nonce)", host: host, pid: pid)
    }

    public var description: String { owner }
}
