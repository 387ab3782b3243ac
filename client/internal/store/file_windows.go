package store

import (
	"os"
	"path/filepath"
)

// checkPrivate does nothing on Windows, whose files carry ACLs rather than
// Unix modes: the data directory under %LOCALAPPDATA% is private already.
func checkPrivate(*os.File, string) error { return nil }

// writeFileAtomic replaces path with data atomically: a temporary file in
// the same directory, flushed, then renamed over path (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING). renameio does not support Windows.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
