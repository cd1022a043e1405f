#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Swift's global executor on NIO's event loops, with the tasks run as *generic* work.
///
/// NIO's own take-over (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`)
/// runs every job as the event loop's serial executor. A nonisolated async function asks for the generic
/// executor after each `await` that may have moved it (a continuation's resume, a call into another
/// isolation), and the runtime, seeing a serial executor that is not generic, hops: it enqueues the task
/// again, and the loop runs it once more on its next tick — about one extra job per resumed await (in a
/// 10,000-user run, 5 % of samples were those enqueues alone). Run as generic work the same check
/// passes inline. The loop is still the one the job was enqueued from (NIO's `any()` is sticky), so a
/// task and its connection's I/O keep sharing a thread.
public enum LoopExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook (once, from the main thread, before any task runs); false if the runtime has no
    /// hook to take or someone took it first, and then Swift's own pool runs the tasks.
    @discardableResult
    public static func install() -> Bool {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                MultiThreadedEventLoopGroup.singleton.any().execute { job.runSynchronously(on: LoopExecutor.generic) }
            })
            return hook.baseAddress!.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { pointer in
                slot.pointee = pointer.pointee
                return true
            }
        }
    }

    /// The runtime's generic executor, which has no public spelling: a null identity and no witness table.
    private static let generic = unsafeBitCast((0, 0), to: UnownedSerialExecutor.self)
}
