//go:build linux

package kernel

import (
	"os"
	"syscall"
)

// dupFD returns a new file for what descriptor fd refers to now.
func dupFD(fd int) (*os.File, error) {
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(nfd)
	return os.NewFile(uintptr(nfd), "saved-fd"), nil
}

// redirectFD makes descriptor fd refer to what f refers to.
func redirectFD(f *os.File, fd int) error {
	return syscall.Dup3(int(f.Fd()), fd, 0)
}
