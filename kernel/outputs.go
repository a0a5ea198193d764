package kernel

import "gospark/display"

// syncOutput waits until what cells wrote to the captured descriptors has
// been published.
func (k *Kernel) syncOutput() {
	for _, c := range k.capture {
		c.sync()
	}
	k.stdout.flush()
	k.stderr.flush()
}

// display publishes a rich output of the running cell: display_data, or
// update_display_data for a bundle whose display id was shown before.
func (k *Kernel) display(d display.Data) {
	k.syncOutput()
	if v, ok := d.MIME[MIMEClearOutput]; ok {
		k.clearOutput(v)
		return
	}
	msgType := "display_data"
	if d.ID != "" {
		k.mu.Lock()
		if k.displayed[d.ID] {
			msgType = "update_display_data"
		}
		k.displayed[d.ID] = true
		k.mu.Unlock()
	}
	k.pub.publish(msgType, d)
}

// MIMEClearOutput is the key of a bundle that is not shown but clears the
// cell's output: its value is {"wait": bool}, or a bool, as Jupyter's
// clear_output message takes it (wait: clear when the next output comes).
const MIMEClearOutput = "application/vnd.gospark.clear-output+json"

func (k *Kernel) clearOutput(v any) {
	wait := false
	switch x := v.(type) {
	case bool:
		wait = x
	case map[string]any:
		wait, _ = x["wait"].(bool)
	}
	k.pub.publish("clear_output", map[string]bool{"wait": wait})
}

// progressDisplay publishes a job's progress bar.
func (k *Kernel) progressDisplay(d display.Data, update bool) {
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	k.pub.publish(msgType, d)
}
