import CLoopHook
import Foundation
import Testing

/// `LoopExecutor` takes the runtime's global-enqueue hook through a symbol the linker resolves
/// (`CLoopHook`), not through `dlsym`: in a binary with the runtime linked in (`--static-swift-stdlib`, as
/// the Docker image is built) the symbol is not exported, `dlsym` found nothing, and the image's tasks ran
/// on Swift's own thread pool instead of the event loops.
@Suite struct LoopExecutorHookTests {
    @Test func theShimReachesTheHookTheRuntimeExports() throws {
        // In this test binary the runtime is a shared library, which exports the hook: both ways meet.
        let exported = try #require(dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook"))
        #expect(UnsafeMutableRawPointer(loadgen_enqueue_global_hook()) == exported)
    }
}
