package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gospark/engine/rdd"
	"gospark/engine/shuffle"
	"gospark/engine/storage"
)

// maxStageAttempts is how many consecutive attempts of a stage may end in
// fetch failures before its jobs are aborted (Spark's
// spark.stage.maxConsecutiveAttempts).
const maxStageAttempts = 4

// Config holds the scheduler's settings.
type Config struct {
	TaskSchedulerConfig
	// ResubmitDelay batches the fetch failures of one loss before the
	// failed stages are resubmitted (Spark waits 200 ms).
	ResubmitDelay time.Duration
}

// DAGScheduler runs jobs: it turns an action on an RDD into stages, submits
// each stage once its parents' outputs exist, and resubmits what a failure
// lost. All of its state is owned by one event-loop goroutine.
type DAGScheduler struct {
	q       *eventQueue
	ts      *TaskScheduler
	backend Backend
	tracker *MapOutputTracker
	blocks  *storage.BlockManagerMaster
	bus     *ListenerBus
	cfg     Config
	loopEnd chan struct{}

	// Owned by the loop.
	nextJobID     int
	nextStageID   int
	jobs          map[int]*activeJob
	stages        map[int]*stage
	shuffleStages map[int]*stage
	waiting       map[*stage]bool
	running       map[*stage]bool
	failed        map[*stage]bool
	failedEpoch   map[string]int64
	resubmitting  bool
	stopped       bool
}

// New starts a scheduler over backend. The tracker and block master are
// shared with the executors' environment.
func New(backend Backend, tracker *MapOutputTracker, blocks *storage.BlockManagerMaster, bus *ListenerBus, cfg Config) (*DAGScheduler, error) {
	if cfg.ResubmitDelay == 0 {
		cfg.ResubmitDelay = 200 * time.Millisecond
	}
	d := &DAGScheduler{
		q: newEventQueue(), backend: backend, tracker: tracker, blocks: blocks, bus: bus, cfg: cfg,
		loopEnd: make(chan struct{}),
		jobs:    map[int]*activeJob{}, stages: map[int]*stage{}, shuffleStages: map[int]*stage{},
		waiting: map[*stage]bool{}, running: map[*stage]bool{}, failed: map[*stage]bool{},
		failedEpoch: map[string]int64{},
	}
	d.ts = newTaskScheduler(backend, bus, cfg.TaskSchedulerConfig)
	d.ts.dag = d
	go d.loop()
	if err := backend.Start(d.ts); err != nil {
		d.q.close()
		<-d.loopEnd
		return nil, err
	}
	return d, nil
}

func (d *DAGScheduler) loop() {
	defer close(d.loopEnd)
	for {
		f, ok := d.q.take()
		if !ok {
			return
		}
		f()
	}
}

// TotalCores returns the task slots of the live executors.
func (d *DAGScheduler) TotalCores() int { return d.ts.totalCores() }

// ExecutorIDs returns the live executors.
func (d *DAGScheduler) ExecutorIDs() []string { return d.ts.executorIDs() }

// JobSpec describes a job to run.
type JobSpec struct {
	RDD        *rdd.RDD
	Partitions []int
	// ResultOpID names the result operator executors apply.
	ResultOpID int
	Properties map[string]string
	// Handler receives each partition's result, on the scheduler's loop.
	Handler func(partition int, v any)
}

// RunJob runs a job and waits for it. Cancelling ctx cancels the job and
// kills its running tasks.
func (d *DAGScheduler) RunJob(ctx context.Context, spec JobSpec) error {
	for _, p := range spec.Partitions {
		if p < 0 || p >= spec.RDD.NumPartitions() {
			return fmt.Errorf("partition %d out of range: %s has %d partitions", p, spec.RDD, spec.RDD.NumPartitions())
		}
	}
	if len(spec.Partitions) == 0 {
		return nil
	}
	idc := make(chan int, 1)
	done := make(chan error, 1)
	if !d.q.post(func() { d.handleJobSubmitted(spec, idc, done) }) {
		return ErrStopped
	}
	var id int
	select {
	case id = <-idc:
	case err := <-done:
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		d.CancelJob(id, context.Cause(ctx).Error())
		return <-done
	}
}

// CancelJob cancels a running job.
func (d *DAGScheduler) CancelJob(jobID int, reason string) {
	d.q.post(func() {
		if j := d.jobs[jobID]; j != nil {
			d.failJob(j, &JobCancelledError{JobID: jobID, Reason: reason})
		}
	})
}

// CancelJobGroup cancels the running jobs of a job group.
func (d *DAGScheduler) CancelJobGroup(group, reason string) {
	d.q.post(func() {
		for _, j := range d.sortedJobs() {
			if j.props[PropJobGroup] == group {
				d.failJob(j, &JobCancelledError{JobID: j.id, Reason: reason})
			}
		}
	})
}

// CancelAllJobs cancels every running job.
func (d *DAGScheduler) CancelAllJobs(reason string) {
	d.q.post(func() {
		for _, j := range d.sortedJobs() {
			d.failJob(j, &JobCancelledError{JobID: j.id, Reason: reason})
		}
	})
}

// Stop fails the running jobs, stops the executors and the loop.
func (d *DAGScheduler) Stop() {
	stopped := make(chan struct{})
	if d.q.post(func() {
		d.stopped = true
		for _, j := range d.sortedJobs() {
			d.failJob(j, ErrStopped)
		}
		close(stopped)
	}) {
		<-stopped
	}
	d.ts.stop()
	d.backend.Stop()
	d.q.close()
	<-d.loopEnd
}

func (d *DAGScheduler) sortedJobs() []*activeJob {
	js := make([]*activeJob, 0, len(d.jobs))
	for _, j := range d.jobs {
		js = append(js, j)
	}
	sort.Slice(js, func(a, b int) bool { return js[a].id < js[b].id })
	return js
}

// Events from the TaskScheduler: each posts to the loop.

func (d *DAGScheduler) taskEnded(t *Task, r *TaskResult, info TaskInfo) {
	d.q.post(func() { d.handleTaskCompletion(t, r) })
}

func (d *DAGScheduler) taskSetFailed(stageID, attempt int, err error) {
	d.q.post(func() {
		if s := d.stages[stageID]; s != nil && s.attempt == attempt {
			d.abortStage(s, err)
		}
	})
}

func (d *DAGScheduler) executorLost(executorID, reason string) {
	d.q.post(func() { d.handleExecutorLost(executorID) })
}

// The loop's handlers.

func (d *DAGScheduler) handleJobSubmitted(spec JobSpec, idc chan<- int, done chan error) {
	if d.stopped {
		done <- ErrStopped
		return
	}
	id := d.nextJobID
	d.nextJobID++
	job := &activeJob{id: id, partitions: spec.Partitions, outputIdx: map[int]int{}, finished: make([]bool, len(spec.Partitions)),
		handler: spec.Handler, props: spec.Properties, opID: spec.ResultOpID, done: done}
	for i, p := range spec.Partitions {
		job.outputIdx[p] = i
	}
	final, err := d.createResultStage(spec.RDD, job)
	if err != nil {
		done <- err
		return
	}
	job.final = final
	d.jobs[id] = job
	idc <- id
	var stageIDs []int
	for s := range d.stagesOfJob(id) {
		stageIDs = append(stageIDs, s.id)
	}
	sort.Ints(stageIDs)
	d.bus.Post(JobStart{JobID: id, StageIDs: stageIDs, Properties: spec.Properties, Time: time.Now()})
	d.submitStage(final)
}

// createResultStage builds the job's result stage and its missing ancestors.
func (d *DAGScheduler) createResultStage(r *rdd.RDD, job *activeJob) (s *stage, err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("planning the job: %v", e)
		}
	}()
	parents := d.parentStages(r, job.id)
	s = d.newStage(r, nil, parents, job.id)
	s.job = job
	return s, nil
}

func (d *DAGScheduler) newStage(r *rdd.RDD, dep *rdd.ShuffleDependency, parents []*stage, jobID int) *stage {
	s := &stage{id: d.nextStageID, rdd: r, numTasks: r.NumPartitions(), parents: parents,
		jobIDs: map[int]bool{}, firstJobID: jobID, dep: dep, attempt: -1, fetchFailed: map[int]bool{}}
	d.nextStageID++
	d.stages[s.id] = s
	d.updateJobIDs(s, jobID)
	return s
}

// updateJobIDs adds jobID to s and its ancestors.
func (d *DAGScheduler) updateJobIDs(s *stage, jobID int) {
	if s.jobIDs[jobID] {
		return
	}
	s.jobIDs[jobID] = true
	for _, p := range s.parents {
		d.updateJobIDs(p, jobID)
	}
}

// shuffleDeps returns the shuffle dependencies reachable from r through
// narrow dependencies only.
func shuffleDeps(r *rdd.RDD) []*rdd.ShuffleDependency {
	var out []*rdd.ShuffleDependency
	seen := map[*rdd.RDD]bool{}
	stack := []*rdd.RDD{r}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		for _, dep := range x.Dependencies() {
			if sd, ok := dep.(*rdd.ShuffleDependency); ok {
				out = append(out, sd)
			} else {
				stack = append(stack, dep.RDD())
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ShuffleID < out[j].ShuffleID })
	return out
}

func (d *DAGScheduler) parentStages(r *rdd.RDD, jobID int) []*stage {
	var out []*stage
	for _, dep := range shuffleDeps(r) {
		out = append(out, d.shuffleMapStage(dep, jobID))
	}
	return out
}

// shuffleMapStage returns the map stage of dep, creating it and its
// ancestors when they do not exist.
func (d *DAGScheduler) shuffleMapStage(dep *rdd.ShuffleDependency, jobID int) *stage {
	if s, ok := d.shuffleStages[dep.ShuffleID]; ok {
		d.updateJobIDs(s, jobID)
		return s
	}
	parents := d.parentStages(dep.Parent, jobID)
	s := d.newStage(dep.Parent, dep, parents, jobID)
	d.shuffleStages[dep.ShuffleID] = s
	d.tracker.RegisterShuffle(dep.ShuffleID, dep.Parent.NumPartitions())
	return s
}

func (d *DAGScheduler) available(s *stage) bool {
	if !s.isShuffleMap() {
		return false
	}
	return d.tracker.NumAvailable(s.dep.ShuffleID) == s.numTasks
}

// fullyCached reports whether every partition of a persisted RDD is cached
// somewhere, so that its lineage need not run.
func (d *DAGScheduler) fullyCached(r *rdd.RDD) bool {
	if !r.StorageLevel().IsValid() || d.blocks == nil {
		return false
	}
	for _, locs := range d.blocks.RDDLocations(r.ID(), r.NumPartitions()) {
		if len(locs) == 0 {
			return false
		}
	}
	return true
}

// missingParents returns the parent stages of s whose output is missing,
// not looking past RDDs that are fully cached.
func (d *DAGScheduler) missingParents(s *stage) []*stage {
	var missing []*stage
	seenStage := map[*stage]bool{}
	seen := map[*rdd.RDD]bool{}
	stack := []*rdd.RDD{s.rdd}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[r] || d.fullyCached(r) {
			continue
		}
		seen[r] = true
		for _, dep := range r.Dependencies() {
			if sd, ok := dep.(*rdd.ShuffleDependency); ok {
				p := d.shuffleMapStage(sd, s.firstJobID)
				if !d.available(p) && !seenStage[p] {
					seenStage[p] = true
					missing = append(missing, p)
				}
			} else {
				stack = append(stack, dep.RDD())
			}
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].id < missing[j].id })
	return missing
}

// activeJobFor returns the earliest running job that needs s.
func (d *DAGScheduler) activeJobFor(s *stage) *activeJob {
	var best *activeJob
	for id := range s.jobIDs {
		if j := d.jobs[id]; j != nil && (best == nil || j.id < best.id) {
			best = j
		}
	}
	return best
}

func (d *DAGScheduler) submitStage(s *stage) {
	job := d.activeJobFor(s)
	if job == nil {
		return
	}
	if d.waiting[s] || d.running[s] || d.failed[s] {
		return
	}
	missing := d.missingParents(s)
	if len(missing) == 0 {
		d.submitMissingTasks(s, job)
		return
	}
	for _, p := range missing {
		d.submitStage(p)
	}
	d.waiting[s] = true
}

func (d *DAGScheduler) submitMissingTasks(s *stage, job *activeJob) {
	var parts []int
	if s.isShuffleMap() {
		parts = d.tracker.MissingPartitions(s.dep.ShuffleID)
	} else {
		for i, p := range s.job.partitions {
			if !s.job.finished[i] {
				parts = append(parts, p)
			}
		}
	}
	s.attempt++
	s.pending = map[int]bool{}
	var parentIDs []int
	for _, p := range s.parents {
		parentIDs = append(parentIDs, p.id)
	}
	s.info = StageInfo{StageID: s.id, Attempt: s.attempt, Name: s.name(), NumTasks: len(parts),
		ParentIDs: parentIDs, ShuffleMap: s.isShuffleMap(), Submitted: time.Now()}
	d.running[s] = true
	d.bus.Post(StageSubmitted{Stage: s.info})
	epoch := d.tracker.Epoch()
	set := &TaskSet{StageID: s.id, StageAttempt: s.attempt, Priority: job.id, Name: s.name()}
	for i, p := range parts {
		t := &Task{JobID: job.id, StageID: s.id, StageAttempt: s.attempt, Partition: p, Index: i,
			RDDID: s.rdd.ID(), Preferred: d.preferredLocations(s.rdd, p), Epoch: epoch, Properties: job.props,
			ShuffleInput: len(s.parents) > 0}
		if s.isShuffleMap() {
			t.Kind, t.ShuffleID = ShuffleMapTask, s.dep.ShuffleID
		} else {
			t.Kind, t.ResultOpID = ResultTask, s.job.opID
		}
		set.Tasks = append(set.Tasks, t)
		s.pending[p] = true
	}
	if len(set.Tasks) == 0 {
		d.markStageFinished(s, "")
		d.submitWaitingChildren(s)
		return
	}
	d.ts.submit(set)
}

// preferredLocations returns the executors holding partition p of r cached,
// or those of the nearest cached ancestor through narrow dependencies.
func (d *DAGScheduler) preferredLocations(r *rdd.RDD, p int) []string {
	seen := map[[2]int]bool{}
	var visit func(r *rdd.RDD, p int) []string
	visit = func(r *rdd.RDD, p int) []string {
		key := [2]int{r.ID(), p}
		if seen[key] {
			return nil
		}
		seen[key] = true
		if r.StorageLevel().IsValid() && d.blocks != nil {
			if locs := d.blocks.Locations(storage.RDDBlockID(r.ID(), p)); len(locs) > 0 {
				return locs
			}
		}
		if locs := r.PreferredLocations(p); len(locs) > 0 {
			return locs
		}
		for _, dep := range r.Dependencies() {
			if _, ok := dep.(*rdd.ShuffleDependency); ok {
				continue
			}
			for _, pp := range rdd.ParentsOf(dep, p) {
				if locs := visit(dep.RDD(), pp); len(locs) > 0 {
					return locs
				}
			}
		}
		return nil
	}
	return visit(r, p)
}

func (d *DAGScheduler) markStageFinished(s *stage, failure string) {
	delete(d.running, s)
	s.info.Completed = time.Now()
	s.info.FailureReason = failure
	if failure == "" {
		s.fetchFailed = map[int]bool{}
	}
	d.bus.Post(StageCompleted{Stage: s.info})
}

func (d *DAGScheduler) submitWaitingChildren(parent *stage) {
	var ready []*stage
	for s := range d.waiting {
		for _, p := range s.parents {
			if p == parent {
				ready = append(ready, s)
				break
			}
		}
	}
	sort.Slice(ready, func(i, j int) bool {
		return ready[i].firstJobID < ready[j].firstJobID || (ready[i].firstJobID == ready[j].firstJobID && ready[i].id < ready[j].id)
	})
	for _, s := range ready {
		delete(d.waiting, s)
		d.submitStage(s)
	}
}

func (d *DAGScheduler) handleTaskCompletion(t *Task, r *TaskResult) {
	s := d.stages[t.StageID]
	if s == nil {
		return // the stage's jobs are gone
	}
	switch r.State {
	case TaskFinished:
		if t.Kind == ResultTask {
			d.handleResult(s, t, r)
		} else {
			d.handleMapOutput(s, t, r)
		}
	case TaskFailed:
		var ff *shuffle.FetchFailedError
		if errors.As(r.Err, &ff) {
			d.handleFetchFailed(s, t, ff)
		}
	}
}

func (d *DAGScheduler) handleResult(s *stage, t *Task, r *TaskResult) {
	job := s.job
	if job == nil || d.jobs[job.id] != job {
		return
	}
	i, ok := job.outputIdx[t.Partition]
	if !ok || job.finished[i] {
		return // a second copy of a finished task: its updates do not count
	}
	job.finished[i] = true
	job.numDone++
	delete(s.pending, t.Partition)
	r.Accums.Merge()
	if err := callHandler(job.handler, t.Partition, r.Value); err != nil {
		d.failJob(job, err)
		return
	}
	if job.numDone == len(job.partitions) {
		d.markStageFinished(s, "")
		d.cleanupJob(job)
		d.bus.Post(JobEnd{JobID: job.id, Time: time.Now()})
		job.done <- nil
	}
}

func callHandler(h func(int, any), p int, v any) (err error) {
	defer func() {
		if e := recover(); e != nil {
			if er, ok := e.(error); ok {
				err = er
			} else {
				err = fmt.Errorf("%v", e)
			}
		}
	}()
	h(p, v)
	return nil
}

func (d *DAGScheduler) handleMapOutput(s *stage, t *Task, r *TaskResult) {
	st := r.MapStatus
	if e, lost := d.failedEpoch[r.ExecutorID]; lost && t.Epoch <= e {
		// The executor was lost after this task started: its output is gone.
	} else if st != nil {
		d.tracker.RegisterMapOutput(s.dep.ShuffleID, st)
		r.Accums.Merge()
	}
	if t.StageAttempt == s.attempt {
		delete(s.pending, t.Partition)
	}
	if d.running[s] && len(s.pending) == 0 {
		d.markStageFinished(s, "")
		if !d.available(s) {
			// Some outputs were lost while the stage ran: run them again.
			d.submitStage(s)
		} else {
			d.submitWaitingChildren(s)
		}
	}
}

func (d *DAGScheduler) handleFetchFailed(s *stage, t *Task, ff *shuffle.FetchFailedError) {
	if t.StageAttempt != s.attempt {
		return // a late failure of an older attempt
	}
	mapStage := d.shuffleStages[ff.ShuffleID]
	if d.running[s] {
		d.markStageFinished(s, ff.Error())
		d.ts.cancelStage(s.id, "a fetch failure ended this stage attempt")
	}
	s.fetchFailed[s.attempt] = true
	if len(s.fetchFailed) >= maxStageAttempts {
		d.abortStage(s, &JobFailedError{StageID: s.id, Stage: s.String(), Partition: -1,
			Reason: fmt.Sprintf("%d consecutive attempts failed to fetch shuffle input; last: %v", maxStageAttempts, ff), Cause: ff})
		return
	}
	if mapStage == nil {
		d.abortStage(s, &JobFailedError{StageID: s.id, Stage: s.String(), Partition: -1, Reason: ff.Error(), Cause: ff})
		return
	}
	if ff.MapIndex >= 0 {
		d.tracker.UnregisterMapOutput(ff.ShuffleID, ff.MapIndex, ff.ExecutorID)
	}
	if ff.ExecutorID != "" {
		// Without an external shuffle service, a failed fetch means the
		// executor's files are gone: forget all of its outputs.
		d.forgetExecutorOutputs(ff.ExecutorID)
	}
	if len(d.failed) == 0 && !d.resubmitting {
		d.resubmitting = true
		d.ts.clock.AfterFunc(d.cfg.ResubmitDelay, func() { d.q.post(d.resubmitFailedStages) })
	}
	d.failed[s] = true
	d.failed[mapStage] = true
}

func (d *DAGScheduler) resubmitFailedStages() {
	d.resubmitting = false
	var fs []*stage
	for s := range d.failed {
		fs = append(fs, s)
	}
	clear(d.failed)
	sort.Slice(fs, func(i, j int) bool {
		return fs[i].firstJobID < fs[j].firstJobID || (fs[i].firstJobID == fs[j].firstJobID && fs[i].id < fs[j].id)
	})
	for _, s := range fs {
		d.submitStage(s)
	}
}

// forgetExecutorOutputs unregisters an executor's map outputs and records
// the epoch of the loss: map results from tasks created before it are
// ignored, since their files went with the executor.
func (d *DAGScheduler) forgetExecutorOutputs(executorID string) {
	d.failedEpoch[executorID] = d.tracker.Epoch()
	d.tracker.RemoveOutputsOnExecutor(executorID)
}

func (d *DAGScheduler) handleExecutorLost(executorID string) {
	d.forgetExecutorOutputs(executorID)
	if d.blocks != nil {
		d.blocks.RemoveExecutor(executorID)
	}
}

// abortStage fails every job that depends on s.
func (d *DAGScheduler) abortStage(s *stage, err error) {
	var jobs []*activeJob
	for id := range s.jobIDs {
		if j := d.jobs[id]; j != nil {
			jobs = append(jobs, j)
		}
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].id < jobs[j].id })
	for _, j := range jobs {
		e := err
		var jf *JobFailedError
		if errors.As(err, &jf) {
			c := *jf
			c.JobID = j.id
			e = &c
		}
		d.failJob(j, e)
	}
}

// failJob ends a job with err, cancelling the stages no other job needs.
func (d *DAGScheduler) failJob(j *activeJob, err error) {
	if d.jobs[j.id] != j {
		return
	}
	for s := range d.stagesOfJob(j.id) {
		if len(s.jobIDs) == 1 && d.running[s] {
			d.ts.cancelStage(s.id, err.Error())
			d.markStageFinished(s, "job ended: "+err.Error())
		}
	}
	d.cleanupJob(j)
	d.bus.Post(JobEnd{JobID: j.id, Err: err, Time: time.Now()})
	j.done <- err
}

func (d *DAGScheduler) stagesOfJob(jobID int) map[*stage]bool {
	out := map[*stage]bool{}
	for _, s := range d.stages {
		if s.jobIDs[jobID] {
			out[s] = true
		}
	}
	return out
}

// cleanupJob forgets a finished job and the stages only it needed. Map
// outputs stay in the tracker, so a later job that needs the same shuffle
// finds them and skips the stage.
func (d *DAGScheduler) cleanupJob(j *activeJob) {
	delete(d.jobs, j.id)
	for s := range d.stagesOfJob(j.id) {
		delete(s.jobIDs, j.id)
		if len(s.jobIDs) > 0 {
			continue
		}
		delete(d.stages, s.id)
		if s.isShuffleMap() && d.shuffleStages[s.dep.ShuffleID] == s {
			delete(d.shuffleStages, s.dep.ShuffleID)
		}
		delete(d.waiting, s)
		delete(d.running, s)
		delete(d.failed, s)
	}
}
