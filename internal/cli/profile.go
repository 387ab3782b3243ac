package cli

import "github.com/hubauth/hubauth/client"

// ResolveProfile chooses the profile of a user command on server: flag
// (--profile) if set, else HUBAUTH_PROFILE, else the server's default
// profile (see hubauth switch), else "default".
func (f *Factory) ResolveProfile(flag, server string) (string, error) {
	if p := f.profile(flag); p != "" {
		return p, nil
	}
	if f.envBool(envNoStore) {
		return client.DefaultProfile, nil
	}
	dir, err := f.sessionDir()
	if err != nil {
		return client.DefaultProfile, nil // no data directory: nothing is stored
	}
	return client.StoredDefaultProfile(dir, server)
}
