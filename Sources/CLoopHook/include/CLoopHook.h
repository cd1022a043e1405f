#ifndef CLOOPHOOK_H
#define CLOOPHOOK_H

/// Where the Swift runtime keeps its global-enqueue hook (`swift_task_enqueueGlobal_hook`), as the
/// linker resolves it: from the runtime's shared library, or from the runtime linked into the binary
/// (`--static-swift-stdlib`), where the symbol is not exported and `dlsym` cannot find it.
void *_Nullable *_Nonnull loadgen_enqueue_global_hook(void);

#endif
