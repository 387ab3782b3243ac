package keyring_test

import (
	"context"
	"fmt"
	"os"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/keyring"
)

// A Client that keeps its refresh token in the operating system's
// keychain; tokens.json keeps the rest of the session and the entry's name.
func ExampleSystem() {
	c, err := client.New(context.Background(), client.Config{
		Server:  "https://auth.example.org",
		Store:   client.StoreKeyring,
		Keyring: keyring.System(),
		Warn:    func(msg string) { fmt.Fprintln(os.Stderr, "warning:", msg) }, // e.g. no keychain: the file keeps the token
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	_ = c // c.LoginBrowser(ctx, client.BrowserOptions{}) stores the new session's refresh token in the keychain
}
