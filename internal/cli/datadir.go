package cli

import "github.com/hubauth/hubauth/client"

// DataDir returns hubauth's data directory without creating it; see
// client.DataDir, the one implementation, which the CLI shares with the SDK
// so that both find the same tokens.json. The server's default database
// lives there too.
func DataDir(getenv func(string) string, goos string, home func() (string, error)) (string, error) {
	return client.DataDir(getenv, goos, home)
}
