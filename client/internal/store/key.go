package store

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// defaultProfile is the profile used when none is given.
const defaultProfile = "default"

// sessions maps normalized server, then profile, to the session.
type sessions map[string]map[string]Session

// key identifies a session: a normalized server and a profile.
type key struct{ server, profile string }

func newKey(server, profile string) (key, error) {
	server, err := CanonicalServer(server)
	if err != nil {
		return key{}, err
	}
	if profile == "" {
		profile = defaultProfile
	}
	return key{server, profile}, nil
}

// CanonicalServer lower-cases the scheme and host of a server URL and
// removes trailing slashes, so that one server has one spelling and a
// session stored for one server is never found for another.
func CanonicalServer(server string) (string, error) {
	if server == "" {
		return "", errors.New("client: no server given")
	}
	u, err := url.Parse(server)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimRight(server, "/"), nil
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

// get returns a copy of the session at k.
func (all sessions) get(k key) (Session, bool) {
	sess, ok := all[k.server][k.profile]
	sess.Scopes = slices.Clone(sess.Scopes)
	sess.ResourceTokens = slices.Clone(sess.ResourceTokens)
	return sess, ok
}

// put stores a copy of sess at k, with k's server and profile. The
// stored session's Default mark stays as it was: only SetDefault moves it.
// An Expired session keeps no API tokens.
func (all sessions) put(k key, sess Session) {
	sess.Server, sess.Profile = k.server, k.profile
	sess.Default = all[k.server][k.profile].Default
	sess.Scopes = slices.Clone(sess.Scopes)
	sess.ResourceTokens = slices.Clone(sess.ResourceTokens)
	if sess.Expired {
		sess.ResourceTokens = nil
	}
	if all[k.server] == nil {
		all[k.server] = map[string]Session{}
	}
	all[k.server][k.profile] = sess
}

// delete removes the session at k and reports whether there was one.
func (all sessions) delete(k key) bool {
	if _, ok := all[k.server][k.profile]; !ok {
		return false
	}
	delete(all[k.server], k.profile)
	if len(all[k.server]) == 0 {
		delete(all, k.server)
	}
	return true
}
