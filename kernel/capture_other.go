//go:build !linux

package kernel

import (
	"errors"
	"os"
)

var errNoCapture = errors.New("capturing file descriptors is supported on Linux only")

func dupFD(fd int) (*os.File, error) { return nil, errNoCapture }

func redirectFD(f *os.File, fd int) error { return errNoCapture }
