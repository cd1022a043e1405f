#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLoopHook
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
/// passes inline. A job enqueued on a loop's thread runs on that loop (in a batch: `LoopQueue`), so a
/// task and its connection's I/O keep sharing a thread; one enqueued elsewhere goes to the next loop.
public enum LoopExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook (once, from the main thread, before any task runs); false if someone took it
    /// first, and then Swift's own pool runs the tasks. The hook is found by the linker (`CLoopHook`):
    /// with the runtime linked into the binary, as the Docker image's is, `dlsym` does not see it.
    @discardableResult
    public static func install() -> Bool {
        let slot = loadgen_enqueue_global_hook()
        guard slot.pointee == nil else { return false }
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            let queue = UInt(bitPattern: Unmanaged.passRetained(LoopQueue(loop: loop)).toOpaque())  // for the life of the process
            loop.execute { pthread_setspecific(queueKey, UnsafeRawPointer(bitPattern: queue)) }
        }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in LoopExecutor.enqueue(job) })
            return hook.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer.self, capacity: 1) { pointer in
                slot.pointee = pointer.pointee
                return true
            }
        }
    }

    /// Runs `job` on the loop whose thread enqueued it, or else on the next loop.
    private static func enqueue(_ job: UnownedJob) {
        if let queue = pthread_getspecific(queueKey) {
            Unmanaged<LoopQueue>.fromOpaque(queue).takeUnretainedValue().enqueue(job)
        } else {
            MultiThreadedEventLoopGroup.singleton.any().execute { job.runSynchronously(on: LoopExecutor.generic) }
        }
    }

    /// Where a loop's thread finds its `LoopQueue`.
    private static let queueKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key left")
        return key
    }()

    /// The jobs a loop's own thread enqueued (a continuation resumed as a response was read, a task made),
    /// run together in one of the loop's tasks: one task a batch and none allocated, where a task a job
    /// allocated its closure and took the loop's task lock, for every request. Jobs enqueued while a batch
    /// runs go in the next, a loop task of its own, which the loop runs before it polls its sockets again:
    /// NIO's loop runs every task it has, those added meanwhile and its timers that fall due included,
    /// before it looks at its I/O (at 100,000 users a loop went 10–45 ms between polls at the machine's slow
    /// moments; see docs/performance-log.md).
    ///
    /// Unchecked: only its loop's thread reaches it (through the thread-specific key).
    private final class LoopQueue: @unchecked Sendable {
        let loop: any EventLoop
        private var jobs: [UnownedJob] = []
        private var running: [UnownedJob] = []
        private var scheduled = false
        /// The loop's task that runs a batch, made once.
        private lazy var drain: @Sendable () -> Void = { [unowned self] in self.runBatch() }

        init(loop: any EventLoop) { self.loop = loop }

        func enqueue(_ job: UnownedJob) {
            jobs.append(job)
            guard !scheduled else { return }
            scheduled = true
            loop.execute(drain)
        }

        private func runBatch() {
            swap(&jobs, &running)
            scheduled = false
            for job in running { job.runSynchronously(on: LoopExecutor.generic) }
            running.removeAll(keepingCapacity: true)
        }
    }

    /// The runtime's generic executor, which has no public spelling: a null identity and no witness table.
    private static let generic = unsafeBitCast((0, 0), to: UnownedSerialExecutor.self)
}
