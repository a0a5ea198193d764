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
	if clear, wait := display.IsClearOutput(d); clear {
		k.pub.publish("clear_output", map[string]bool{"wait": wait})
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

// progressDisplay publishes a job's progress bar.
func (k *Kernel) progressDisplay(d display.Data, update bool) {
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	k.pub.publish(msgType, d)
}
