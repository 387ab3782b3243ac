package client

import (
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/client/internal/store"
)

// The rules of a session whose refresh token is in the keyring. The
// sessions file then keeps the rest (server, profile, user, the access
// token and its expiry) and, in store.Session.Keyring, the entry's
// account; the refresh token is read from the keyring only to refresh or
// revoke, so a valid access token costs no keyring call. Every write of
// an entry happens under the sessions file's lock, as the file's own
// writes do, so rotation stays serialized across processes.

// toKeyring reports whether a session replacing cur (ok false: none)
// keeps its refresh token in the keyring: Config.Store, else where cur
// keeps it.
func (c *Client) toKeyring(cur store.Session, ok bool) bool {
	switch c.cfg.Store {
	case StoreKeyring:
		return true
	case StoreFile:
		return false
	}
	return ok && cur.Keyring != ""
}

// seal returns s as the sessions file is to keep it. With keyring, its
// refresh token goes to the keyring entry s.Keyring names (a new one if
// none) and leaves s; a keyring that cannot take it leaves it in s, with
// one warning. Without keyring, s keeps its refresh token and names no
// entry. s's refresh token must have been read (unseal) if it has one.
func (c *Client) seal(s store.Session, keyring bool) store.Session {
	if s.RefreshToken == "" || c.cfg.NoStore || c.inMemory.Load() {
		return s // nothing to keep, or nothing kept beyond this process
	}
	if !keyring {
		s.Keyring = ""
		return s
	}
	if s.Keyring == "" {
		s.Keyring = newKeyringAccount(s.Server, s.Profile)
	}
	if err := c.vault.set(s.Keyring, s.RefreshToken); err != nil {
		c.vault.warnOnce(c.cfg.Warn, fmt.Sprintf("%s; the refresh token is kept in %s instead", trimPrefix(err.Error()), c.store.Path()))
		s.Keyring = ""
		return s
	}
	s.RefreshToken = ""
	return s
}

// unseal returns s with its refresh token read from the keyring entry it
// names, if any. An entry that is gone is errSessionLost; a keyring that
// cannot be read matches ErrKeyringUnavailable.
func (c *Client) unseal(s store.Session) (store.Session, error) {
	if s.Keyring == "" || s.RefreshToken != "" {
		return s, nil
	}
	rt, err := c.vault.get(s.Keyring)
	switch {
	case errors.Is(err, ErrNotInKeyring):
		return s, errSessionLost
	case err != nil:
		return s, fmt.Errorf("%w; the session's refresh token is kept there", err)
	}
	s.RefreshToken = rt
	return s, nil
}

// lost reports whether s names a keyring entry that is gone: such a
// session can be replaced by a login without Force.
func (c *Client) lost(s store.Session) bool {
	_, err := c.unseal(s)
	return errors.Is(err, ErrSessionLost)
}

// forget removes the keyring entry old once the sessions file names kept
// instead: after a login replaced old's session, its refresh token moved
// back to the file, or a logout. A store kept in memory has not replaced
// the file, which still names old. A failure is a warning.
func (c *Client) forget(old, kept string) {
	if old == "" || old == kept || c.inMemory.Load() {
		return
	}
	if err := c.vault.delete(old); err != nil {
		c.vault.warnOnce(c.cfg.Warn, fmt.Sprintf("%s; remove the keyring entry %q (service %s) yourself", trimPrefix(err.Error()), old, KeyringService))
	}
}
