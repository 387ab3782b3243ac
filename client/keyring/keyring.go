// Package keyring is the client SDK's Keyring of the operating system
// (client.Config.Keyring): the macOS Keychain, the Windows Credential
// Manager, and the Secret Service (GNOME Keyring, KWallet) over D-Bus on
// Linux and the BSDs, through github.com/zalando/go-keyring. It is a
// package of its own so that programs which keep their sessions in a file
// do not link a keyring library: package client depends on none.
//
//	cfg := client.Config{Server: server, Store: client.StoreKeyring, Keyring: keyring.System()}
//
// The calls may block (a locked keychain, a Secret Service that never
// answers); package client bounds each one and falls back to the file.
// Where the Secret Service would be reached over a D-Bus session bus that
// does not exist, the calls fail at once rather than start one.
package keyring

import (
	"errors"
	"fmt"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/hubauth/hubauth/client"
)

// System returns the operating system's keyring. It connects to nothing
// until it is used.
func System() client.Keyring { return system{} }

// system is go-keyring's keyring with its errors made the SDK's.
type system struct{}

// Get returns the secret of service and account.
func (system) Get(service, account string) (string, error) {
	if err := checkBus(); err != nil {
		return "", err
	}
	secret, err := gokeyring.Get(service, account)
	return secret, sdkError(err)
}

// Set stores secret for service and account.
func (system) Set(service, account, secret string) error {
	if err := checkBus(); err != nil {
		return err
	}
	return sdkError(gokeyring.Set(service, account, secret))
}

// Delete removes the secret of service and account.
func (system) Delete(service, account string) error {
	if err := checkBus(); err != nil {
		return err
	}
	return sdkError(gokeyring.Delete(service, account))
}

// sdkError makes go-keyring's "not found" client.ErrNotInKeyring and
// prefixes the others.
func sdkError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return client.ErrNotInKeyring
	}
	return fmt.Errorf("keyring: %w", err)
}
