#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LoadgenCore

/// The open-file limit (`ulimit -n`), which every connection counts against — twice with the embedded
/// bot, which holds the other end. A process that reaches it does not get an error it can report:
/// libdispatch's thread-pool monitor traps when it cannot open `/proc`, so the run dies with SIGILL and
/// no report. loadgen therefore raises its soft limit to the hard one at start, and sizes its pool
/// of connections to the target to what fits under the limit with a reserve for everything else
/// (listeners, status callbacks, proxies, the report files).
public enum OpenFiles {
    /// Descriptors kept for what is not a target connection: std streams, event loops, listeners, the
    /// report's files, /proc reads of the runtime.
    static let baseReserve = 96
    /// Each fault proxy: its clients to the upstream and the bot's connections to it.
    static let proxyReserve = 2 * 64

    /// Raises the soft limit to the hard limit (capped at what the kernel takes); returns the soft limit now.
    @discardableResult
    public static func raiseLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 1 << 20)
            if setrlimit(Self.resource, &raised) == 0 { limit = raised }
        }
        return current
    }

    /// The soft limit: the most descriptors this process may have open.
    public static var current: Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest value: Int.max
    }

    /// The connections to the target `plan` may open under a limit of `limit` descriptors: the plan's
    /// own, or fewer when it asked for none in particular (said in a notice). An explicit `--connections`
    /// that does not fit is refused with the numbers, before anything is opened.
    public static func connections(for plan: RunPlan, limit: Int = OpenFiles.current, notice: Log) throws(LoadgenFailure) -> Int {
        let embedded = plan.target == nil
        let perConnection = embedded ? 2 : 1
        // The embedded bot calls the stand-in Graph API and its upstreams in process, and gets its status
        // webhooks in process: only the target connections are sockets.
        var reserve = baseReserve + plan.upstreamProxies.count * proxyReserve
        if plan.statusCallbacks, !embedded { reserve += StatusCallbacks.defaultConnections }
        let fits = max(0, limit - reserve) / perConnection
        guard plan.connections > fits else { return plan.connections }
        let needed = reserve + plan.connections * perConnection
        if plan.connectionsGiven || fits < 1 {
            throw LoadgenFailure(.usage, "--connections \(plan.connections) needs about \(needed) open files"
                + (embedded ? " (each connection is two with the embedded bot)" : "") + "; this process may open \(limit) (ulimit -n). "
                + "Raise the limit (ulimit -n \(max(4096, needed * 2))) or give --connections \(max(1, fits)) or fewer")
        }
        notice("connections to the target limited to \(fits) (not \(plan.connections)) by the open-file limit, ulimit -n \(limit)")
        return fits
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
