package sqlite

import (
	"errors"
	"os"
)

// ErrInsecureFile means the database file, or its -wal or -shm file, may be
// read or written by users other than its owner. The database holds the
// token signing keys: whoever reads it can sign tokens for any user.
var ErrInsecureFile = errors.New("sqlite: database readable or writable by other users")

// companions are the files SQLite keeps beside the database in WAL mode.
var companions = []string{"-wal", "-shm"}

// preparePrivate makes the database at path private to its owner before
// SQLite opens it. A missing file is created 0600, exclusively (O_EXCL),
// so a file another process created meanwhile is checked rather than taken
// over; a file that cannot be created (a missing directory, say) is left
// to SQLite, whose error says so. SQLite gives the -wal and -shm files
// it creates the main file's permissions, whatever the umask, so they are
// 0600 too. A database or companion file that exists with permissions for
// group or others is refused (ErrInsecureFile) with the chmod that fixes it.
func preparePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return nil
	}
	paths := []string{path}
	for _, c := range companions {
		paths = append(paths, path+c)
	}
	return checkPrivate(paths)
}
