// Package kernel is gospark's Jupyter kernel: the Jupyter messaging
// protocol, version 5.3, over ZeroMQ (github.com/go-zeromq/zmq4), wrapped
// around the same shell.Session that gospark-shell uses. One session, two
// front ends.
//
// A Kernel binds the five sockets a connection file names:
//
//   - shell (ROUTER): requests served one at a time, in order, by one
//     goroutine: execute, complete, inspect, is_complete, history,
//     kernel_info, comm_info;
//   - control (ROUTER): served by a goroutine of its own, so that
//     interrupt_request and shutdown_request are answered while a cell runs;
//   - iopub (PUB): status, execute_input, stream, display_data,
//     update_display_data, execute_result, error, clear_output;
//   - stdin (ROUTER): bound, for frontends that connect to it;
//   - heartbeat (REP): echoes every ping.
//
// Every message is signed with HMAC-SHA256 under the connection file's key;
// a message whose signature does not verify, or that repeats the signature
// of an earlier one, is dropped and logged.
//
// What a cell prints reaches the notebook as stream messages while the cell
// runs: the session forwards what interpreted code prints, and a kernel
// started with Config.CaptureFDs also redirects file descriptors 1 and 2,
// so compiled code that writes to os.Stdout (df.Show) is captured too.
// Output is routed to the request that is running, or to the last one
// when none is. Rich values (DataFrames, plots, display.HTML) become
// display_data or execute_result bundles, and a job that runs longer than
// half a second shows a progress bar updated in place with
// update_display_data, which ends with the job's time.
package kernel
