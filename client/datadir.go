package client

import (
	"errors"
	"fmt"
	"path/filepath"
)

// DataDir returns hubauth's data directory, without creating it:
// HUBAUTH_DATA_DIR if set; else, by goos, Windows %LOCALAPPDATA%\hubauth,
// macOS ~/Library/Application Support/hubauth, and elsewhere
// $XDG_DATA_HOME/hubauth (an absolute XDG_DATA_HOME only, as the XDG Base
// Directory specification says) or ~/.local/share/hubauth. The sessions file
// (tokens.json, see StoredSessions) and the server's default database
// live there.
//
// getenv is usually os.Getenv, goos runtime.GOOS and home os.UserHomeDir.
func DataDir(getenv func(string) string, goos string, home func() (string, error)) (string, error) {
	if dir := getenv("HUBAUTH_DATA_DIR"); dir != "" {
		return dir, nil
	}
	switch goos {
	case "windows":
		if dir := getenv("LOCALAPPDATA"); dir != "" {
			return filepath.Join(dir, "hubauth"), nil
		}
		return "", errors.New("client: cannot find the data directory: LOCALAPPDATA is not set; set HUBAUTH_DATA_DIR")
	case "darwin", "ios":
		h, err := homeDir(home)
		if err != nil {
			return "", err
		}
		return filepath.Join(h, "Library", "Application Support", "hubauth"), nil
	}
	if dir := getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "hubauth"), nil
	}
	h, err := homeDir(home)
	if err != nil {
		return "", err
	}
	return filepath.Join(h, ".local", "share", "hubauth"), nil
}

func homeDir(home func() (string, error)) (string, error) {
	h, err := home()
	if err == nil && h == "" {
		err = errors.New("empty home directory")
	}
	if err != nil {
		return "", fmt.Errorf("client: cannot find the data directory (%v); set HUBAUTH_DATA_DIR", err)
	}
	return h, nil
}
