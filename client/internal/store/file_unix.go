//go:build !windows

package store

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// checkPrivate refuses a sessions file that users other than its owner may
// read or write: it holds their login.
func checkPrivate(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("client: read sessions: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s can be read or written by other users (mode %04o); fix it with: chmod 600 %s", ErrInsecureFile, path, perm, path)
	}
	return nil
}

// writeFileAtomic replaces path with data (mode 0600) atomically: a
// temporary file in the same directory, fsync, rename, then fsync of the
// directory so that the rename survives a crash.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	t, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir), renameio.WithStaticPermissions(0o600))
	if err != nil {
		return err
	}
	defer t.Cleanup()
	if _, err := t.Write(data); err != nil {
		return err
	}
	if err := t.CloseAtomicallyReplace(); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil // written; only the directory's fsync is skipped
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
