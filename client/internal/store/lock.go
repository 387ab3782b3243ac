package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// lockRetry is how often a waiting writer tries the lock again.
const lockRetry = 5 * time.Millisecond

// errLockTimeout is returned when another process holds the lock too long.
var errLockTimeout = errors.New("client: timed out waiting for the sessions lock")

// lock creates the directory (0700) if needed and takes the exclusive lock
// on tokens.json.lock, waiting at most s.lockWait. The lock file stays:
// removing it would let two processes lock two different files.
func (s *Store) lock() (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, err
	}
	fl := flock.New(s.path+".lock", flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), s.lockWait)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, lockRetry)
	switch {
	case ok:
		return func() { _ = fl.Unlock() }, nil
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: another process has held %s for %v", errLockTimeout, fl.Path(), s.lockWait)
	case err == nil:
		err = errors.New("not locked")
	}
	return nil, fmt.Errorf("lock %s: %w", fl.Path(), err)
}
