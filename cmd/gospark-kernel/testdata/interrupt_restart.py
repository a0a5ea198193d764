"""Interrupt and restart gospark-kernel through jupyter_client's
KernelManager, as Jupyter's frontends do, and print what happened as JSON.

The kernelspec has interrupt_mode "message", so interrupt_kernel sends an
interrupt_request on the control channel while the shell channel is busy
with a long job.
"""

import json
import time

from jupyter_client.manager import start_new_kernel

LONG_JOB = (
    "sc.Range(0, 100000, 1, 10000)"
    ".Map(func(x int) int { time.Sleep(20 * time.Millisecond); return x }).Count()"
)


def run(kc, code, timeout=60):
    """Execute code; return the reply content and the iopub messages."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append({"type": msg["msg_type"], "content": msg["content"]})
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def main():
    report = {}
    km, kc = start_new_kernel(kernel_name="gospark")
    try:
        run(kc, "x := 41")
        msg_id = kc.execute(LONG_JOB)
        # Wait until the cell runs, then interrupt it.
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(0.5)
        start = time.time()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        report["interrupt_seconds"] = round(time.time() - start, 3)
        report["interrupted"] = reply["content"]
        content, _ = run(kc, "x + 1")
        report["after_interrupt"] = content
        _, outputs = run(kc, "x + 1")
        report["after_interrupt_result"] = [o["content"]["data"]["text/plain"] for o in outputs if o["type"] == "execute_result"]

        old_pid = km.provisioner.pid if km.provisioner else None
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        report["restarted_new_process"] = km.provisioner.pid != old_pid
        content, outputs = run(kc, "x")
        report["x_after_restart"] = content["status"]
        _, outputs = run(kc, "sc.Parallelize([]int{1, 2, 3}).Count()")
        report["sc_after_restart"] = [o["content"]["data"]["text/plain"] for o in outputs if o["type"] == "execute_result"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
