//go:build unix

package cli

import (
	"io/fs"
	"syscall"
)

// fileOwner returns the uid that owns fi's file; ok is false where the
// system does not say.
func fileOwner(fi fs.FileInfo) (uid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// unixModes is true: bearer files are checked by their Unix mode bits.
const unixModes = true
