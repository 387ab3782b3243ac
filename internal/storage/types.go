package storage

import "time"

// User is a person who logs in to the hub. ID is the stable OIDC subject;
// Username is unique and may be changed by an operator.
type User struct {
	ID       string
	Username string
	Name     string
	Email    string
	// EmailVerified: Email is known to be the user's: set by an
	// administrator, or asserted verified by the upstream it came from.
	// Only a verified address links an upstream identity by e-mail.
	EmailVerified bool
	PasswordHash  string // argon2id, PHC string format; empty: no password login
	Admin         bool
	Disabled      bool
	CreatedAt     time.Time
}

// Group is a named set of users.
type Group struct {
	Name      string
	CreatedAt time.Time
}

// Client is an OAuth 2.0 client registered with the hub.
type Client struct {
	ID   string
	Name string
	// SecretHash is the SHA-256 (hex) of a confidential client's secret;
	// empty for public clients.
	SecretHash string
	Public     bool
	// RedirectURIs are matched exactly, except that for public clients a
	// registered loopback URI (127.0.0.1, [::1]) matches any port (RFC 8252 §7.3).
	RedirectURIs []string
	// GrantTypes lists the grants the client may use, as token endpoint
	// grant_type values.
	GrantTypes []string
	// FirstParty clients skip the consent page.
	FirstParty bool
	// RestrictScopes limits the client to AllowedScopes: a grant asking for
	// another scope is refused. Without it (the zero value: clients
	// registered before scopes were per client, the built-in hubauth-cli)
	// the client may ask for every scope the hub grants.
	RestrictScopes bool
	AllowedScopes  []string
	Disabled       bool
	CreatedAt      time.Time
	// ExchangeAudiences are the API URIs the client may exchange a user's
	// token for (RFC 8693 token exchange, with GrantTokenExchange).
	ExchangeAudiences []string
}

// Scope is a permission of the platform's own API that an operator
// registered (hubauth admin scope add), such as uploads:write. The hub's
// built-in scopes (openid, tokens:read, …) are not stored.
type Scope struct {
	Name        string
	Description string
	CreatedAt   time.Time
}

// API is a resource server registered at the hub (hubauth admin api
// add): a token for it carries URI as its audience (RFC 8707) and, of the
// registered scopes, only those it owns. A scope belongs to at most one API.
type API struct {
	ID        string
	URI       string // absolute, without a fragment
	Name      string
	Scopes    []string // the registered scopes it owns, sorted bytewise
	CreatedAt time.Time
}

// IdentityProvider is an upstream OpenID Connect provider users may sign in
// with (hubauth admin idp add). ClientSecret is the hub's secret at the
// upstream, kept in clear because the hub sends it there (like the signing
// keys, it lives only in the owner-readable database): never log or print it.
type IdentityProvider struct {
	Name              string // in the callback path /login/NAME/callback
	Issuer            string
	ClientID          string
	ClientSecret      string
	DisplayName       string // "Sign in with DisplayName"
	Scopes            []string
	UsernameClaim     string
	GroupsClaim       string // "": groups are not taken from the upstream
	GroupsPrefix      string
	Provision         string // ProvisionAuto or ProvisionOff
	LinkVerifiedEmail bool   // link to a user whose e-mail the upstream asserts verified
	Disabled          bool
	CreatedAt         time.Time
}

// Provisioning of an IdentityProvider: what the first sign-in of an unknown
// identity does.
const (
	// ProvisionAuto creates a user.
	ProvisionAuto = "auto"
	// ProvisionOff refuses it until an administrator links the identity.
	ProvisionOff = "off"
)

// UserIdentity is an upstream identity linked to a hub user: whoever
// signs in at Provider as Subject signs in to the hub as UserID.
type UserIdentity struct {
	Provider    string // IdentityProvider.Name
	Subject     string // the upstream's sub claim
	UserID      string
	CreatedAt   time.Time
	LastLoginAt time.Time // zero until the first sign-in through it
}

// UpstreamLogin is a sign-in under way at an upstream provider: where the
// user goes on afterwards (an authorization request, a device code, a
// page) or, with LinkUserID, the signed-in user who links the identity.
type UpstreamLogin struct {
	StateHash     string // SHA-256 (hex) of the state sent upstream
	Provider      string
	AuthRequestID string
	UserCode      string
	Next          string
	LinkUserID    string
	// ForceLogin asks the upstream to sign the user in again (prompt=login:
	// the hub's request asked it, or max_age=0, or a link).
	ForceLogin bool
	// MaxAgeSeconds is the hub's request's max_age passed on; 0: none.
	MaxAgeSeconds int64
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// SigningKey is an ES256 key pair used to sign tokens. The newest key that is
// not retired signs; retired keys stay published until every token they
// signed has expired.
type SigningKey struct {
	ID         string
	Algorithm  string // "ES256"
	PrivatePEM []byte // PKCS#8 PEM
	CreatedAt  time.Time
	RetiredAt  time.Time // zero while the key is active
}

// AuthRequest is an OIDC authorization request between /authorize and the
// code exchange.
type AuthRequest struct {
	ID                  string
	ClientID            string
	RedirectURI         string
	Scopes              []string
	State               string
	Nonce               string
	ResponseType        string
	ResponseMode        string
	CodeChallenge       string
	CodeChallengeMethod string
	Prompt              []string
	MaxAgeSeconds       int64 // -1 when absent
	LoginHint           string
	// ACRValues is the acr_values the client asked for (OIDC Core
	// 3.1.2.1); the hub knows "mfa": a second factor in this session.
	ACRValues []string
	// SessionName labels the login session the request starts (the
	// client's token_name parameter, e.g. hubauth login --token-name).
	SessionName string
	// Resources are the APIs (their URIs) the request covers (RFC 8707
	// resource, or the one API its scopes belong to).
	Resources []string
	// Filled in when the user has authenticated and approved.
	UserID           string
	AuthTime         time.Time
	AMR              []string
	BrowserSessionID string
	Done             bool
	// CodeHash is the SHA-256 (hex) of the authorization code, once issued.
	CodeHash string
	// CodeUsedAt is set when the code is exchanged; a second exchange is a replay.
	CodeUsedAt time.Time
	// IssuedSessionID and IssuedTokenID record what the code exchange issued
	// (login session and access token jti) so that a replay can revoke them.
	IssuedSessionID string
	IssuedTokenID   string
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// Device authorization states.
const (
	DevicePending  = "pending"
	DeviceApproved = "approved"
	DeviceDenied   = "denied"
	DeviceConsumed = "consumed"
)

// DeviceAuth is an RFC 8628 device authorization.
type DeviceAuth struct {
	DeviceCodeHash string // SHA-256 (hex) of the device_code
	UserCode       string // normalized: 8 letters, no dash, upper case
	ClientID       string
	Scopes         []string
	State          string // one of the Device* constants
	SessionName    string // label of the session it starts (token_name)
	UserID         string // set on approval
	AuthTime       time.Time
	AMR            []string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	// Resources are the API URIs it covers (RFC 8707).
	Resources []string
}

// BrowserSession is the hub's single-sign-on session, held by a browser cookie.
type BrowserSession struct {
	ID        string
	TokenHash string // SHA-256 (hex) of the cookie value
	UserID    string
	AuthTime  time.Time
	AMR       []string
	Address   string
	UserAgent string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Login methods recorded on a Session.
const (
	MethodBrowser  = "browser"
	MethodDevice   = "device"
	MethodPassword = "password"
	// MethodExchange: a session a token exchange started from another
	// (Session.ParentID), for the client acting for the user.
	MethodExchange = "exchange"
)

// Session is one login of a user at a client: the family of refresh tokens
// that descend from it. Revoking it ends every refresh token of the family
// and makes its access tokens inactive at introspection.
type Session struct {
	ID               string
	UserID           string
	ClientID         string
	Method           string // one of the Method* constants
	Name             string // label chosen by the user (e.g. --token-name)
	Address          string // remote address at login
	BrowserSessionID string // the hub browser session it came from, if any
	Scopes           []string
	AuthTime         time.Time
	AMR              []string
	CreatedAt        time.Time
	LastUsedAt       time.Time
	ExpiresAt        time.Time // absolute end of the family
	RevokedAt        time.Time // zero while active
	// Resources are the API URIs the session's tokens may be for (RFC
	// 8707): a refresh names one of them or gets the only one.
	Resources []string
	// ParentID is the session a token exchange (RFC 8693) started this
	// one from; revoking the parent revokes it. Empty for a login.
	ParentID string
	// Actors are the clients acting for the user in an exchanged session,
	// the innermost (the one that exchanged last) first: ClientID, then
	// the actor of the token it exchanged, and so on.
	Actors []string
}

// RefreshToken is one member of a Session's refresh token family. Only the
// SHA-256 of the token ("<session id>.<secret>", or a bare secret for
// tokens issued before they named their session) is stored.
type RefreshToken struct {
	Hash      string // SHA-256 (hex) of the token value: unique, as tokens are random (stores need not check it)
	SessionID string
	CreatedAt time.Time
	ExpiresAt time.Time
	RotatedAt time.Time // zero until the token is used
}

// RefreshKey finds a stored refresh token. Hash is the SHA-256 (hex) of
// the whole token and alone identifies it; SessionID is the session the
// token names, by which a store may keep a family's tokens side by side
// (so that a rotation writes the same few pages however many tokens there
// are). Tokens issued before refresh tokens named their session have an
// empty SessionID: GetRefreshToken finds them by Hash; any other key
// without a SessionID may give ErrNotFound.
type RefreshKey struct {
	SessionID string
	Hash      string
}

// Finds reports whether key names t: the same hash, and the same session
// when the key names one. A store that looks tokens up by hash alone
// checks the session with it, so that every store refuses a key with
// another session's id.
func (k RefreshKey) Finds(t RefreshToken) bool {
	return t.Hash == k.Hash && (k.SessionID == "" || k.SessionID == t.SessionID)
}

// EndedSessions counts the live credentials EndUserSessions ended.
type EndedSessions struct {
	Sessions        int64 // login sessions (refresh token families) revoked
	BrowserSessions int64
	PersonalTokens  int64
}

// PersonalToken is a named, scoped, expiring token a user creates for
// scripts (NOMAD's app tokens and personal access tokens). Only the SHA-256
// of the secret is stored. A revoked token stays stored (listed as revoked)
// until garbage collection, a day after its revocation.
type PersonalToken struct {
	ID          string
	UserID      string
	Name        string
	Description string
	Hash        string // SHA-256 (hex) of the token value
	Scopes      []string
	CreatedAt   time.Time // when its current secret was made (rotation renews it)
	ExpiresAt   time.Time // zero: never expires
	LastUsedAt  time.Time
	RevokedAt   time.Time // zero: not revoked
}

// TokenUse is the last use of a personal token (TouchPersonalTokens).
type TokenUse struct {
	ID string
	At time.Time
}

// AccessTokenRefs names the rows an access token depends on
// (Sessions.GetLiveAccessToken).
type AccessTokenRefs struct {
	TokenID   string // its jti
	SessionID string // its login session; empty for none
	ClientID  string
	UserID    string // empty for a service account's own token
}

// GCResult counts what GarbageCollect removed.
type GCResult struct {
	AuthRequests    int64
	DeviceAuths     int64
	BrowserSessions int64
	Sessions        int64
	RefreshTokens   int64
	PersonalTokens  int64
	RevokedTokens   int64
	UpstreamLogins  int64
	MFALogins       int64
	// PasskeyCeremonies counts expired passkey ceremonies.
	PasskeyCeremonies int64
}
