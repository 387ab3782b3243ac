package cli

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// storedSession is one session as tokens.json keeps it. The file is the
// contract between the SDK and the data directory (the SDK's store is its
// own, under client/internal), so these tests read and write it as an
// earlier login would have left it.
type storedSession struct {
	Server       string    `json:"server"`
	Profile      string    `json:"profile"`
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret,omitempty"`
	Method       string    `json:"method"`
	Subject      string    `json:"subject,omitempty"`
	Username     string    `json:"username,omitempty"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	Expired      bool      `json:"expired,omitempty"`
	// ResourceTokens are the session's API tokens (RFC 8707 resource).
	ResourceTokens []storedResourceToken `json:"resource_tokens,omitempty"`
}

// storedResourceToken is one of a session's API tokens in tokens.json.
type storedResourceToken struct {
	Resource    string    `json:"resource"`
	AccessToken string    `json:"access_token"`
	Expiry      time.Time `json:"expiry"`
}

// sessionsFile is tokens.json, format version 1: server, then profile,
// to the session.
type sessionsFile struct {
	Version  int                                 `json:"version"`
	Sessions map[string]map[string]storedSession `json:"sessions"`
}

// readSessions returns the sessions file in dir; none when there is no
// file.
func readSessions(t testing.TB, dir string) sessionsFile {
	t.Helper()
	f := sessionsFile{Version: 1, Sessions: map[string]map[string]storedSession{}}
	data, err := os.ReadFile(filepath.Join(dir, "tokens.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return f
	}
	if err != nil {
		t.Fatalf("read the sessions file: %v", err)
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decode the sessions file: %v", err)
	}
	return f
}

// storedIn returns the session kept in dir for server and profile ("" is
// "default").
func storedIn(t testing.TB, dir, server, profile string) (storedSession, bool) {
	t.Helper()
	if profile == "" {
		profile = "default"
	}
	s, ok := readSessions(t, dir).Sessions[server][profile]
	return s, ok
}

// writeSessions adds sessions to the sessions file in dir (mode 0600 in a
// 0700 directory, as the SDK keeps it), each under its Server and Profile
// ("" is "default").
func writeSessions(t testing.TB, dir string, sessions ...storedSession) {
	t.Helper()
	f := readSessions(t, dir)
	for _, s := range sessions {
		if s.Profile == "" {
			s.Profile = "default"
		}
		if f.Sessions[s.Server] == nil {
			f.Sessions[s.Server] = map[string]storedSession{}
		}
		f.Sessions[s.Server][s.Profile] = s
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokens.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
