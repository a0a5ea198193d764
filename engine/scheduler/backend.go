package scheduler

// ExecutorInfo describes an executor to the scheduler.
type ExecutorInfo struct {
	ID    string
	Host  string
	Cores int
}

// Backend is where tasks run: executors in this process (localcluster) or
// remote ones. The DAGScheduler and TaskScheduler are the same code for all.
type Backend interface {
	// Start begins reporting executors and task results to sink.
	Start(sink Sink) error
	// Launch runs t on the executor; the result comes back through the sink.
	Launch(t *Task, executorID string)
	// KillTask asks the executor to stop a running task.
	KillTask(taskID int64, executorID, reason string)
	// Stop stops every executor.
	Stop()
}

// Sink receives what a Backend reports. The TaskScheduler implements it.
// Calls may come from any goroutine.
type Sink interface {
	ExecutorAdded(info ExecutorInfo)
	ExecutorLost(executorID, reason string)
	StatusUpdate(result *TaskResult)
}
