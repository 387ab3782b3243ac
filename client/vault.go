package client

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// keyringTimeout bounds one call to the Keyring. On headless Linux every
// keyring library can hang in a D-Bus call that never returns (no Secret
// Service, or a locked collection waiting for a prompt nobody sees): such
// a call costs one timeout, after which the process falls back to the
// file, well within the 3 seconds the README promises.
const keyringTimeout = 2 * time.Second

// vault makes the calls to Config.Keyring: one at a time, each bounded by
// keyringTimeout. After a call fails or times out the keyring counts as
// unavailable for the rest of the process and no other call is started.
// A hung call cannot be cancelled, so a secret is written only to a
// keyring that has answered a call already (set probes it first): a
// keyring that hangs then hangs before anything is written, never to
// store a secret late, after the file took it over.
type vault struct {
	kr Keyring // nil: no keyring configured

	mu       sync.Mutex // one call at a time
	down     error      // why the keyring is unavailable; nil while it answers
	answered bool       // a call has returned: the keyring is there and unlocked
	warned   bool       // the one warning about the keyring was given
}

// get returns the secret of account: an error matching ErrNotInKeyring
// when there is none, ErrKeyringUnavailable when the keyring cannot tell.
func (v *vault) get(account string) (string, error) {
	var secret string
	err := v.call(func(kr Keyring) (err error) {
		secret, err = kr.Get(KeyringService, account)
		return err
	})
	return secret, err
}

// set stores secret under account, probing the keyring with a read
// first if it has not answered yet.
func (v *vault) set(account, secret string) error {
	v.mu.Lock()
	answered := v.answered
	v.mu.Unlock()
	if !answered {
		if _, err := v.get(account); err != nil && !errors.Is(err, ErrNotInKeyring) {
			return err
		}
	}
	return v.call(func(kr Keyring) error { return kr.Set(KeyringService, account, secret) })
}

// delete removes account's entry; one already gone is not an error.
func (v *vault) delete(account string) error {
	err := v.call(func(kr Keyring) error { return kr.Delete(KeyringService, account) })
	if errors.Is(err, ErrNotInKeyring) {
		return nil
	}
	return err
}

// call runs op on the keyring in a goroutine and waits at most
// keyringTimeout for it. Errors other than ErrNotInKeyring mark the
// keyring unavailable and match ErrKeyringUnavailable.
func (v *vault) call(op func(Keyring) error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch {
	case v.down != nil:
		return v.down
	case v.kr == nil:
		return fmt.Errorf("%w: none is configured (Config.Keyring)", ErrKeyringUnavailable)
	}
	done := make(chan error, 1) // buffered: a late answer does not block the goroutine
	go func() { done <- op(v.kr) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(keyringTimeout):
		err = fmt.Errorf("no answer within %v", keyringTimeout)
	}
	if err == nil || errors.Is(err, ErrNotInKeyring) {
		v.answered = true
		return err
	}
	v.down = fmt.Errorf("%w (%v)", ErrKeyringUnavailable, err)
	return v.down
}

// warnOnce calls warn with msg unless the vault has warned already: a
// keyring that fails is reported once per process.
func (v *vault) warnOnce(warn func(string), msg string) {
	v.mu.Lock()
	first := !v.warned
	v.warned = true
	v.mu.Unlock()
	if first {
		warn(msg)
	}
}

// newKeyringAccount names a new keyring entry for server and profile: a
// random suffix keeps the entries of two data directories apart.
func newKeyringAccount(server, profile string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return fmt.Sprintf("%s %s %s", server, profile, hex.EncodeToString(b))
}
