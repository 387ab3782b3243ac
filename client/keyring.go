package client

import "errors"

// Where a session's refresh token is kept (Config.Store).
const (
	// StoreFile keeps the refresh token in tokens.json (mode 0600).
	StoreFile = "file"
	// StoreKeyring keeps it in Config.Keyring, the operating system's
	// credential store; tokens.json keeps the rest of the session and the
	// name of the keyring entry.
	StoreKeyring = "keyring"
)

// KeyringService is the service under which the SDK's keyring entries
// are kept. Each entry's account names its server, its profile and a
// random suffix, so that two data directories never share an entry.
const KeyringService = "hubauth"

// A Keyring keeps secrets in the operating system's credential store: the
// macOS Keychain, the Windows Credential Manager, the Secret Service
// (GNOME Keyring, KWallet) on Linux. The SDK stores refresh tokens there
// with Config.Store set to StoreKeyring. Package client/keyring provides
// the system's; the SDK itself depends on no keyring library.
//
// A Keyring's methods may block (a locked keychain asking for a password,
// a D-Bus call that never returns): the SDK bounds each call and stops
// using a Keyring that did not answer in time.
type Keyring interface {
	// Get returns the secret stored for service and account, or an error
	// matching ErrNotInKeyring when there is none.
	Get(service, account string) (string, error)
	// Set stores secret for service and account, replacing any.
	Set(service, account, secret string) error
	// Delete removes the secret for service and account; it returns an
	// error matching ErrNotInKeyring when there is none.
	Delete(service, account string) error
}

var (
	// ErrNotInKeyring is what a Keyring returns for an entry it does not
	// hold.
	ErrNotInKeyring = errors.New("client: no such keyring entry")

	// ErrKeyringUnavailable means the keyring could not be used: there
	// is none, it is locked, it failed or it did not answer in time. A
	// refresh token that was to be written there is kept in the file,
	// with a warning; one already there cannot be read.
	ErrKeyringUnavailable = errors.New("client: the keyring is not available")

	// ErrSessionLost means the stored session names a keyring entry that
	// no longer exists: its refresh token is gone, and the user must log
	// in again. The error also matches ErrSessionExpired, and the session
	// is marked expired, as for a refresh the provider refused.
	ErrSessionLost = errors.New("client: session lost: run hubauth login")
)

// errSessionLost is the error of a session whose keyring entry is gone.
var errSessionLost = &flowError{
	msg:  ErrSessionLost.Error() + " (its refresh token is no longer in the keyring)",
	errs: []error{ErrSessionLost, ErrSessionExpired},
}
