package client

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"
)

// DefaultClientID is the client hubauth serve registers for its CLI and
// SDK: a public client allowed loopback redirects on any port.
const DefaultClientID = "hubauth-cli"

// DefaultProfile names the session used when Config.Profile is empty.
const DefaultProfile = "default"

// DefaultScopes are requested when Config.Scopes is empty: an OpenID
// Connect login with a refresh token.
var DefaultScopes = []string{"openid", "profile", "email", "offline_access"}

// Config describes a Client. Only Server is required; every other field
// has a documented meaning when left zero.
type Config struct {
	// Server is the provider's issuer URL, e.g. https://auth.example.org.
	// Its discovery document must name the same issuer. A trailing slash
	// is ignored.
	Server string

	// ClientID is the OAuth client the SDK logs in as. Empty means
	// DefaultClientID ("hubauth-cli"), a public client.
	ClientID string

	// ClientSecret is ClientID's secret, for providers that register
	// their command-line client as confidential (common with Dex). Empty
	// means a public client, identified by its id alone (RFC 6749 §2.3).
	// The secret is sent to the token, device authorization and
	// revocation endpoints, and kept with the session (tokens.json, mode
	// 0600) to refresh and revoke it later.
	ClientSecret string

	// Scopes are requested at login. Empty means DefaultScopes.
	Scopes []string

	// Profile names one of several sessions kept for one server. Empty
	// means DefaultProfile ("default").
	Profile string

	// DataDir is the directory of tokens.json. Empty means the platform
	// data directory: DataDir(os.Getenv, runtime.GOOS, os.UserHomeDir).
	DataDir string

	// NoStore keeps the session in memory only: nothing is read from or
	// written to disk.
	NoStore bool

	// Store chooses where a session's refresh token, its long-lived
	// secret, is kept when the session is saved: StoreFile (tokens.json),
	// StoreKeyring (Keyring), or "" for where the stored session keeps it
	// already (the file for a new one). A keyring that is missing, locked
	// or does not answer within about 2 seconds leaves the token in the
	// file, with one warning. tokens.json keeps everything else.
	Store string

	// Keyring is the operating system's credential store, for StoreKeyring
	// and for sessions stored there: package client/keyring provides it.
	// Nil means none: a session whose refresh token is in a keyring then
	// cannot be refreshed (ErrKeyringUnavailable).
	Keyring Keyring

	// Token, when set, is an access token used as is (the CLI fills it
	// from HUBAUTH_TOKEN). It takes precedence over the stored session,
	// is never refreshed and never stored.
	Token string

	// HTTPClient sends every request to the provider and is the base of
	// HTTPClient's result. Nil means http.DefaultClient.
	HTTPClient *http.Client

	// AllowInsecureHTTP lets the SDK send passwords, codes, tokens and
	// client secrets over plain http to hosts that are not loopback
	// (127.0.0.0/8, ::1, localhost), where anyone on the network can read
	// them. Without it such a request is not sent, and fails with an
	// error that names the server and matches ErrInsecureHTTP; this covers
	// the provider's endpoints and the requests of HTTPClient that carry
	// the token.
	AllowInsecureHTTP bool

	// MinValid is how long an access token must stay valid to be used;
	// one that expires sooner is refreshed first. Zero means 60 seconds.
	MinValid time.Duration

	// Now returns the current time. Nil means time.Now.
	Now func() time.Time

	// Warn receives warnings that are not errors, such as a session kept
	// in memory because the data directory is read-only. Nil discards
	// them.
	Warn func(string)
}

// withDefaults checks c and returns a copy with the zero fields filled.
func (c Config) withDefaults() (Config, error) {
	server, err := normalizeServer(c.Server)
	if err != nil {
		return c, err
	}
	c.Server = server
	switch c.Store {
	case "", StoreFile, StoreKeyring:
	default:
		return c, fmt.Errorf("client: unknown store %q: use %s or %s", c.Store, StoreFile, StoreKeyring)
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if len(c.Scopes) == 0 {
		c.Scopes = DefaultScopes
	}
	c.Scopes = append([]string(nil), c.Scopes...)
	if c.Profile == "" {
		c.Profile = DefaultProfile
	}
	if c.HTTPClient == nil {
		c.HTTPClient = http.DefaultClient
	}
	if c.MinValid == 0 {
		c.MinValid = 60 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Warn == nil {
		c.Warn = func(string) {}
	}
	if c.DataDir == "" && !c.NoStore {
		c.DataDir, err = DataDir(os.Getenv, runtime.GOOS, os.UserHomeDir)
		switch {
		case err != nil && c.Token != "":
			c.NoStore = true // nothing is stored with Token: a CI job needs no home
		case err != nil:
			return c, err
		}
	}
	return c, nil
}

// normalizeServer checks that s is an absolute http(s) URL without query
// or fragment and drops a trailing slash, so that "https://a/" and
// "https://a" name one server.
func normalizeServer(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("client: no server given")
	}
	u, err := url.Parse(s)
	if err == nil && u.User != nil {
		return "", fmt.Errorf("client: the server URL must not contain a user name or password")
	}
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("client: server %q must be an absolute http(s) URL without query or fragment", s)
	}
	return strings.TrimSuffix(s, "/"), nil
}
