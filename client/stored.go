package client

import (
	"os"
	"runtime"

	"github.com/hubauth/hubauth/client/internal/store"
)

// StoredSessions describes every session kept in dataDir's sessions file
// (tokens.json), sorted by server, then profile, without any secret: a
// program chooses a server and profile from them, then makes a Client,
// the only writer of a session. Empty dataDir means the platform data
// directory, as for Config.DataDir. No file is no session.
//
// StoredSessions fails as New does when the file cannot be trusted
// (ErrInsecureFile) or read (ErrCorruptStore).
func StoredSessions(dataDir string) ([]SessionInfo, error) {
	if dataDir == "" {
		dir, err := DataDir(os.Getenv, runtime.GOOS, os.UserHomeDir)
		if err != nil {
			return nil, err
		}
		dataDir = dir
	}
	st := store.Open(dataDir, false, nil)
	list, err := st.List()
	if err != nil {
		return nil, err
	}
	infos := make([]SessionInfo, len(list))
	for i, s := range list {
		infos[i] = describe(s, st.Path())
	}
	return infos, nil
}

// describe is s without its secrets, kept in source.
func describe(s store.Session, source string) SessionInfo {
	return SessionInfo{
		Server: s.Server, Profile: s.Profile, ClientID: s.ClientID, Method: s.Method,
		Subject: s.Subject, Username: s.Username, Scopes: append([]string(nil), s.Scopes...),
		Expiry: s.Expiry, Expired: s.Expired, Refreshable: s.Refreshable(),
		CreatedAt: s.CreatedAt, Source: source, Keyring: s.Keyring,
	}
}
