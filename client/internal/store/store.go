package store

import (
	"cmp"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// storeFile is the name of the sessions file in the data directory.
const storeFile = "tokens.json"

// defaultLockWait bounds how long a write waits for another process's lock.
const defaultLockWait = 10 * time.Second

// Session is one stored login.
type Session struct {
	Server       string    `json:"server"` // issuer URL
	Profile      string    `json:"profile"`
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret,omitempty"` // a confidential client's, to refresh and revoke
	Method       string    `json:"method"`                  // browser | device | token | password
	Subject      string    `json:"subject,omitempty"`
	Username     string    `json:"username,omitempty"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"` // empty in the file when Keyring names its entry
	Keyring      string    `json:"keyring,omitempty"`       // the keyring entry (account) holding the refresh token
	IDToken      string    `json:"id_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"` // access token expiry; zero: unknown
	Scopes       []string  `json:"scopes,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	Expired      bool      `json:"expired,omitempty"` // refresh refused: the server ended the session
	// Default marks the profile used for Server when none is named (see
	// SetDefault); at most one per server. Only SetDefault changes it.
	Default bool `json:"default,omitempty"`
	// ResourceTokens are the session's access tokens for APIs (RFC 8707),
	// oldest first; see ResourceToken. Dropped with the session, and when
	// it is marked Expired.
	ResourceTokens []ResourceToken `json:"resource_tokens,omitempty"`
}

// Refreshable reports whether s has a refresh token: in the file, or in
// the keyring entry it names.
func (s *Session) Refreshable() bool { return s.RefreshToken != "" || s.Keyring != "" }

// Store keeps sessions in <dir>/tokens.json: for many servers and, per
// server, named profiles. The file is private to its owner (0600 in a 0700
// directory); every change re-reads it and replaces it atomically under a
// lock file (tokens.json.lock), so concurrent processes neither corrupt it
// nor lose each other's sessions. A Store is safe for concurrent use.
//
// Servers are compared after normalization (scheme and host lower-cased,
// trailing slashes removed); the profile "" means "default".
//
// The zero value is not usable; use Open.
type Store struct {
	path     string // the sessions file; "" when memory only
	warn     func(string)
	now      func() time.Time
	lockWait time.Duration

	mu             sync.Mutex
	mem            sessions // non-nil: sessions are kept in memory, not on disk
	warned         bool
	pendingWarning string // for warn, called without s.mu
}

// Open returns the store in dir. It touches nothing yet: the directory
// (mode 0700) and the file are created by the first change.
//
// With memoryOnly (HUBAUTH_NO_STORE, --no-store) nothing touches the disk:
// sessions live only as long as the Store.
//
// If the file cannot be written (a read-only directory, say), a change is
// not an error: the store keeps its sessions in memory from then on, and
// calls warn once with a one-line message. warn may be nil.
func Open(dir string, memoryOnly bool, warn func(string)) *Store {
	s := &Store{warn: warn, now: time.Now, lockWait: defaultLockWait}
	if warn == nil {
		s.warn = func(string) {}
	}
	if memoryOnly {
		s.mem = sessions{}
	} else {
		s.path = filepath.Join(dir, storeFile)
	}
	return s
}

// Path returns the sessions file, or "" when the store is memory only.
func (s *Store) Path() string { return s.path }

// Load returns the session for server and profile; ok is false when there
// is none.
func (s *Store) Load(server, profile string) (sess Session, ok bool, err error) {
	k, err := newKey(server, profile)
	if err != nil {
		return Session{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.snapshot()
	if err != nil {
		return Session{}, false, err
	}
	sess, ok = all.get(k)
	return sess, ok, nil
}

// Save stores sess under sess.Server and sess.Profile, replacing any
// session there. The stored Server and Profile are normalized.
func (s *Store) Save(sess Session) error {
	k, err := newKey(sess.Server, sess.Profile)
	if err != nil {
		return err
	}
	return s.modify(func(all sessions) (bool, error) {
		all.put(k, sess)
		return true, nil
	})
}

// Delete removes the session for server and profile and reports whether
// there was one.
func (s *Store) Delete(server, profile string) (bool, error) {
	k, err := newKey(server, profile)
	if err != nil {
		return false, err
	}
	var found bool
	err = s.modify(func(all sessions) (bool, error) {
		found = all.delete(k)
		return found, nil
	})
	return found && err == nil, err
}

// List returns every stored session, sorted by server, then profile.
func (s *Store) List() ([]Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.snapshot()
	if err != nil {
		return nil, err
	}
	var list []Session
	for server, profiles := range all {
		for profile := range profiles {
			sess, _ := all.get(key{server, profile})
			list = append(list, sess)
		}
	}
	slices.SortFunc(list, func(a, b Session) int {
		return cmp.Or(cmp.Compare(a.Server, b.Server), cmp.Compare(a.Profile, b.Profile))
	})
	return list, nil
}

// Update runs fn on the current session for server and profile (ok false
// when there is none) while holding the cross-process lock, after
// re-reading the file, and stores what fn returns: nil deletes the session;
// a session is stored under server and profile whatever its own fields say.
// If fn returns an error, nothing changes and Update returns that error.
//
// Update is how refresh is serialized across processes: another process may
// already have refreshed, and fn sees its result. fn must not call the
// Store; other writers wait for it (at most about 10 seconds for those in
// other processes).
func (s *Store) Update(server, profile string, fn func(cur Session, ok bool) (*Session, error)) error {
	k, err := newKey(server, profile)
	if err != nil {
		return err
	}
	return s.modify(func(all sessions) (bool, error) {
		cur, ok := all.get(k)
		next, err := fn(cur, ok)
		switch {
		case err != nil:
			return false, err
		case next == nil:
			return all.delete(k), nil
		}
		all.put(k, *next)
		return true, nil
	})
}

// snapshot returns the current sessions for reading. s.mu is held.
func (s *Store) snapshot() (sessions, error) {
	if s.mem != nil {
		return s.mem, nil
	}
	return s.load()
}

// modify applies change to the sessions and writes them back if change
// reports a change: under the lock after re-reading the file, or in memory.
// If change fails, nothing changes. s.mu serializes this process's
// goroutines, the lock file the processes.
func (s *Store) modify(change func(sessions) (bool, error)) error {
	s.mu.Lock()
	err := s.modifyLocked(change)
	msg := s.pendingWarning
	s.pendingWarning = ""
	s.mu.Unlock()
	if msg != "" {
		s.warn(msg)
	}
	return err
}
