package client

import (
	"fmt"
	"os"
	"runtime"

	"github.com/hubauth/hubauth/client/internal/store"
)

// StoredSessions describes every session kept in dataDir's sessions file
// (tokens.json), sorted by server, then profile, without any secret: a
// program chooses a server and profile from them, then makes a Client,
// the only writer of a session. Empty dataDir means the platform data
// directory, as for Config.DataDir. No file is no session. Default marks,
// per server, the profile to use when the user names none (see
// SetDefaultProfile).
//
// StoredSessions fails as New does when the file cannot be trusted
// (ErrInsecureFile) or read (ErrCorruptStore).
func StoredSessions(dataDir string) ([]SessionInfo, error) {
	st, err := openStored(dataDir)
	if err != nil {
		return nil, err
	}
	list, err := st.List()
	if err != nil {
		return nil, err
	}
	marked := map[string]bool{} // servers with a profile chosen by SetDefaultProfile
	for _, s := range list {
		marked[s.Server] = marked[s.Server] || s.Default
	}
	infos := make([]SessionInfo, len(list))
	for i, s := range list {
		infos[i] = describe(s, st.Path())
		infos[i].Default = s.Default || (!marked[s.Server] && s.Profile == DefaultProfile)
	}
	return infos, nil
}

// SetDefaultProfile makes profile the default profile of server in
// dataDir's sessions file: the one a program (the hubauth CLI among them)
// uses when the user names none, instead of DefaultProfile. The choice is
// kept with that session and ends with it (logout). Empty dataDir means the
// platform data directory. A server and profile with no stored session are
// an error matching ErrNotLoggedIn, and nothing changes.
func SetDefaultProfile(dataDir, server, profile string) error {
	st, err := openStored(dataDir)
	if err != nil {
		return err
	}
	if profile == "" {
		profile = DefaultProfile
	}
	found, err := st.SetDefault(server, profile)
	if err == nil && !found {
		err = fmt.Errorf("client: no session stored for %s and profile %q: %w", server, profile, ErrNotLoggedIn)
	}
	return err
}

// StoredDefaultProfile returns the default profile of server in dataDir's
// sessions file: the one SetDefaultProfile chose, else DefaultProfile.
// Empty dataDir means the platform data directory.
func StoredDefaultProfile(dataDir, server string) (string, error) {
	want, err := store.CanonicalServer(server)
	if err != nil {
		return "", err
	}
	list, err := StoredSessions(dataDir)
	if err != nil {
		return "", err
	}
	for _, s := range list {
		if s.Server == want && s.Default {
			return s.Profile, nil
		}
	}
	return DefaultProfile, nil
}

// SameServer reports whether a and b name one server as the sessions
// file compares them: scheme and host case-insensitively, trailing slashes
// ignored.
func SameServer(a, b string) bool { return sameServer(a, b) }

// openStored opens the sessions file of dataDir, the platform data
// directory when empty, for StoredSessions and SetDefaultProfile.
func openStored(dataDir string) (*store.Store, error) {
	if dataDir == "" {
		dir, err := DataDir(os.Getenv, runtime.GOOS, os.UserHomeDir)
		if err != nil {
			return nil, err
		}
		dataDir = dir
	}
	return store.Open(dataDir, false, nil), nil
}

// describe is s without its secrets, kept in source.
func describe(s store.Session, source string) SessionInfo {
	info := SessionInfo{
		Server: s.Server, Profile: s.Profile, ClientID: s.ClientID, Method: s.Method,
		Subject: s.Subject, Username: s.Username, Scopes: append([]string(nil), s.Scopes...),
		Expiry: s.Expiry, Expired: s.Expired, Refreshable: s.Refreshable(),
		CreatedAt: s.CreatedAt, Source: source, Keyring: s.Keyring,
	}
	for _, t := range s.ResourceTokens {
		info.APITokens = append(info.APITokens, APITokenInfo{Resource: t.Resource, Expiry: t.Expiry})
	}
	return info
}
