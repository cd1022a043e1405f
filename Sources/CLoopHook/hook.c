#include "CLoopHook.h"

extern void *swift_task_enqueueGlobal_hook;

void **loadgen_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }
