package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// storeVersion is the format version of the sessions file this package
// reads and writes: {"version":1,"sessions":{"<server>":{"<profile>":{…}}}}.
const storeVersion = 1

// fileFormat is the sessions file.
type fileFormat struct {
	Version  int      `json:"version"`
	Sessions sessions `json:"sessions"`
}

// read returns the sessions in the file: none if there is no file. A file
// that others may read is refused (ErrInsecureFile); an invalid one gives a
// *corruptError, a newer format an error.
func (s *Store) read() (sessions, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return sessions{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("client: read sessions: %w", err)
	}
	defer f.Close()
	if err := checkPrivate(f, s.path); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("client: read sessions: %w", err)
	}
	return decode(s.path, data)
}

func decode(path string, data []byte) (sessions, error) {
	var raw struct {
		Version  int             `json:"version"`
		Sessions json.RawMessage `json:"sessions"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &corruptError{path, err}
	}
	switch {
	case raw.Version > storeVersion:
		return nil, fmt.Errorf("client: %s has format version %d, newer than this program reads (%d): upgrade it, or set HUBAUTH_DATA_DIR to use another directory", path, raw.Version, storeVersion)
	case raw.Version < 1:
		return nil, &corruptError{path, errors.New(`no "version"`)}
	}
	var all sessions
	if len(raw.Sessions) > 0 {
		if err := json.Unmarshal(raw.Sessions, &all); err != nil {
			return nil, &corruptError{path, err}
		}
	}
	if all == nil {
		all = sessions{}
	}
	for server, profiles := range all {
		for profile, sess := range profiles {
			sess.Server, sess.Profile = server, profile
			profiles[profile] = sess
		}
	}
	return all, nil
}

func (all sessions) encode() ([]byte, error) {
	data, err := json.MarshalIndent(fileFormat{Version: storeVersion, Sessions: all}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("client: encode sessions: %w", err)
	}
	return append(data, '\n'), nil
}

// load reads the file for a reader, which does not hold the lock. A corrupt
// file is moved aside under the lock, unless a writer replaced it meanwhile.
func (s *Store) load() (sessions, error) {
	all, err := s.read()
	var ce *corruptError
	if !errors.As(err, &ce) {
		return all, err
	}
	unlock, lerr := s.lock()
	if lerr != nil {
		return nil, ce.notMoved(lerr)
	}
	defer unlock()
	all, err = s.read()
	if err != nil {
		return nil, s.asideIfCorrupt(err)
	}
	return all, nil
}

// modifyLocked is modify's work. s.mu is held.
func (s *Store) modifyLocked(change func(sessions) (bool, error)) error {
	if s.mem != nil {
		_, err := change(s.mem)
		return err
	}
	unlock, err := s.lock()
	if err != nil {
		return s.modifyUnlocked(err, change)
	}
	defer unlock()
	all, err := s.read()
	if err != nil {
		return s.asideIfCorrupt(err)
	}
	changed, err := change(all)
	if err != nil || !changed {
		return err
	}
	data, err := all.encode()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.path, data); err != nil {
		s.keepInMemory(all, err)
	}
	return nil
}

// modifyUnlocked handles a change when the lock could not be taken: a
// timeout is an error; otherwise the directory is not writable, and the
// changed sessions are kept in memory.
func (s *Store) modifyUnlocked(lockErr error, change func(sessions) (bool, error)) error {
	if errors.Is(lockErr, errLockTimeout) {
		return lockErr
	}
	all, err := s.read()
	var ce *corruptError
	if errors.As(err, &ce) {
		return ce.notMoved(lockErr)
	}
	if err != nil {
		return err
	}
	changed, err := change(all)
	if err != nil || !changed {
		return err
	}
	s.keepInMemory(all, lockErr)
	return nil
}

// keepInMemory switches the store to memory for the rest of the process,
// with one warning. s.mu is held; modify delivers the warning.
func (s *Store) keepInMemory(all sessions, cause error) {
	s.mem = all
	if !s.warned {
		s.warned = true
		s.pendingWarning = fmt.Sprintf("cannot write %s: %v; the session is kept in memory for this process", s.path, cause)
	}
}

// corruptError is an invalid sessions file, not yet moved aside.
type corruptError struct {
	path string
	err  error
}

func (e *corruptError) Error() string {
	return fmt.Sprintf("%v: %s is not valid (%v)", ErrCorruptStore, e.path, e.err)
}

func (e *corruptError) Unwrap() error { return ErrCorruptStore }

func (e *corruptError) notMoved(cause error) error {
	return fmt.Errorf("%w: %s is not valid (%v), and could not be moved aside (%v): move or remove it", ErrCorruptStore, e.path, e.err, cause)
}

// asideIfCorrupt moves a corrupt file aside to tokens.json.corrupt-<UTC
// time>, never overwriting an earlier one, so the next read starts empty.
// Other errors are returned as they are. The lock is held.
func (s *Store) asideIfCorrupt(err error) error {
	var ce *corruptError
	if !errors.As(err, &ce) {
		return err
	}
	base := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	aside := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(aside); err != nil {
			break
		}
		aside = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(s.path, aside); err != nil {
		return ce.notMoved(err)
	}
	return fmt.Errorf("%w: %s was not valid (%v); moved it to %s, and the store starts again empty: log in again", ErrCorruptStore, s.path, ce.err, aside)
}
