package storage

import (
	"context"
	"time"
)

// Storage is everything hubauth keeps. Methods return ErrNotFound,
// ErrAlreadyExists or ErrUnavailable (wrapped) where the caller must branch.
// Get methods return ErrNotFound for rows past their ExpiresAt only where
// documented; callers compare times themselves otherwise.
type Storage interface {
	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error

	Users
	Groups
	Clients
	Scopes
	APIs
	IdentityProviders
	UserIdentities
	UpstreamLogins
	SigningKeys
	AuthRequests
	DeviceAuths
	BrowserSessions
	Sessions
	PersonalTokens
	Factors
	Passkeys
	Audit

	// GarbageCollect deletes every row that expired before now (auth
	// requests, device authorizations, browser sessions, sessions past their
	// ExpiresAt or revoked more than a day ago with their refresh tokens,
	// personal tokens past their ExpiresAt or revoked more than a day ago,
	// revoked access token ids, upstream logins, sign-ins waiting for a
	// second factor, passkey ceremonies).
	GarbageCollect(ctx context.Context, now time.Time) (GCResult, error)

	// AcquireLease takes the lease name for holder until now+ttl when it is
	// free, expired (at or before now) or already holder's (a renewal), and
	// reports whether holder has it. It is one atomic step, so of several
	// processes asking at once exactly one gets a free lease: several
	// nodes on one database use it to run a background job one at a time.
	AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
}

// Users stores users. Usernames are unique (ErrAlreadyExists).
type Users interface {
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, id string) (User, error)
	GetUserByUsername(ctx context.Context, username string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	// GetUsersByEmail lists the users whose e-mail address is email,
	// compared without regard to case (verified or not), sorted by
	// username; none is no error.
	GetUsersByEmail(ctx context.Context, email string) ([]User, error)
	// UpdateUser applies update to the stored user inside one transaction.
	UpdateUser(ctx context.Context, id string, update func(User) (User, error)) error
}

// Groups stores groups and their members.
type Groups interface {
	CreateGroup(ctx context.Context, g Group) error
	ListGroups(ctx context.Context) ([]Group, error)
	// AddGroupMember adds a user to a group; ErrNotFound when either is
	// missing, ErrAlreadyExists when the user is already a member.
	AddGroupMember(ctx context.Context, group, userID string) error
	// RemoveGroupMember: ErrNotFound when the user is not a member.
	RemoveGroupMember(ctx context.Context, group, userID string) error
	// ListGroupMembers lists a group's members by username; ErrNotFound for
	// an unknown group.
	ListGroupMembers(ctx context.Context, group string) ([]User, error)
	// ListUserGroups lists the names of the groups a user belongs to, sorted.
	ListUserGroups(ctx context.Context, userID string) ([]string, error)
}

// Clients stores OAuth clients.
type Clients interface {
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, id string) (Client, error)
	ListClients(ctx context.Context) ([]Client, error)
	UpdateClient(ctx context.Context, id string, update func(Client) (Client, error)) error
}

// Scopes stores the scopes registered for the platform's own APIs.
type Scopes interface {
	// CreateScope: ErrAlreadyExists when the name is taken.
	CreateScope(ctx context.Context, sc Scope) error
	// ListScopes lists every registered scope, sorted by name (bytewise).
	ListScopes(ctx context.Context) ([]Scope, error)
	// DeleteScope: ErrNotFound when no scope has the name.
	DeleteScope(ctx context.Context, name string) error
}

// APIs stores the resource servers registered at the hub and the scopes
// each owns.
type APIs interface {
	// CreateAPI stores the API with its scopes in one transaction:
	// ErrAlreadyExists when the id or the URI is taken or a scope belongs
	// to another API, ErrNotFound when a scope is not registered; nothing
	// is stored then.
	CreateAPI(ctx context.Context, a API) error
	// GetAPI: ErrNotFound when no API has the id.
	GetAPI(ctx context.Context, id string) (API, error)
	// ListAPIs lists every API with its scopes, sorted by id (bytewise).
	ListAPIs(ctx context.Context) ([]API, error)
	// DeleteAPI removes the API; its scopes stay registered, owned by
	// none. ErrNotFound when no API has the id.
	DeleteAPI(ctx context.Context, id string) error
}

// IdentityProviders stores the upstream OpenID Connect providers.
type IdentityProviders interface {
	// CreateIdentityProvider: ErrAlreadyExists when the name is taken.
	CreateIdentityProvider(ctx context.Context, p IdentityProvider) error
	// GetIdentityProvider: ErrNotFound when no provider has the name.
	GetIdentityProvider(ctx context.Context, name string) (IdentityProvider, error)
	// ListIdentityProviders lists every provider, sorted by name (bytewise).
	ListIdentityProviders(ctx context.Context) ([]IdentityProvider, error)
	// UpdateIdentityProvider applies update to the stored provider inside
	// one transaction; ErrNotFound when unknown. The name cannot change.
	UpdateIdentityProvider(ctx context.Context, name string, update func(IdentityProvider) (IdentityProvider, error)) error
	// DeleteIdentityProvider: ErrNotFound when no provider has the name.
	DeleteIdentityProvider(ctx context.Context, name string) error
}

// UserIdentities stores the upstream identities users sign in with: an
// identity is (provider, upstream subject) and belongs to one user.
type UserIdentities interface {
	// CreateUserIdentity links an identity to an existing user:
	// ErrAlreadyExists when the identity is linked already (to anyone),
	// ErrNotFound when the user or the provider is unknown.
	CreateUserIdentity(ctx context.Context, id UserIdentity) error
	// ProvisionUser creates user u with identity id (id.UserID = u.ID) in
	// one transaction: ErrAlreadyExists, with nothing created, when the
	// username or the identity is taken; ErrNotFound when the provider is
	// unknown.
	ProvisionUser(ctx context.Context, u User, id UserIdentity) error
	// GetUserIdentity: ErrNotFound when the identity is not linked.
	GetUserIdentity(ctx context.Context, provider, subject string) (UserIdentity, error)
	// ListUserIdentities lists a user's identities, sorted by provider
	// then subject (bytewise).
	ListUserIdentities(ctx context.Context, userID string) ([]UserIdentity, error)
	// CountProviderIdentities counts the identities linked through the
	// provider named provider: 0 when there is none (or no such provider).
	CountProviderIdentities(ctx context.Context, provider string) (int, error)
	// TouchUserIdentity sets the identity's LastLoginAt; ErrNotFound when
	// it is not linked.
	TouchUserIdentity(ctx context.Context, provider, subject string, now time.Time) error
	// DeleteUserIdentity unlinks a user's identity in one transaction;
	// check (if not nil) first sees the user and every identity the user
	// has (this one included): its error is returned as it is and nothing
	// changes. ErrNotFound when the user has no such identity.
	DeleteUserIdentity(ctx context.Context, userID, provider, subject string, check func(User, []UserIdentity) error) error
}

// UpstreamLogins stores the sign-ins under way at an upstream provider,
// between the redirect there and the callback. A row holds no secret: it
// is found by the SHA-256 of the state sent upstream, and the values that
// finish the sign-in are derived from a secret only the browser holds.
type UpstreamLogins interface {
	// CreateUpstreamLogin: ErrAlreadyExists when the state hash is taken.
	CreateUpstreamLogin(ctx context.Context, l UpstreamLogin) error
	// ConsumeUpstreamLogin deletes and returns the login of this state
	// hash, so each is used once: ErrNotFound when unknown, already used,
	// or expired at now.
	ConsumeUpstreamLogin(ctx context.Context, stateHash string, now time.Time) (UpstreamLogin, error)
}

// SigningKeys stores token signing keys.
type SigningKeys interface {
	// ListSigningKeys lists all keys, newest first.
	ListSigningKeys(ctx context.Context) ([]SigningKey, error)
	// RotateSigningKeys stores next as the active key and retires every
	// active key at next.CreatedAt, in one transaction.
	RotateSigningKeys(ctx context.Context, next SigningKey) error
	// DeleteSigningKeysRetiredBefore removes keys retired before t.
	DeleteSigningKeysRetiredBefore(ctx context.Context, t time.Time) error
}

// AuthRequests stores authorization requests and codes.
type AuthRequests interface {
	CreateAuthRequest(ctx context.Context, a AuthRequest) error
	GetAuthRequest(ctx context.Context, id string) (AuthRequest, error)
	UpdateAuthRequest(ctx context.Context, id string, update func(AuthRequest) (AuthRequest, error)) error
	// ConsumeAuthCode marks the code with this hash used at now and returns
	// the request as it was before. A code used before is returned with
	// replay true (and CodeUsedAt set); an unknown code gives ErrNotFound.
	// check (if not nil) sees an unused code's request first: an error from
	// it is returned as it is and leaves the code unused.
	ConsumeAuthCode(ctx context.Context, codeHash string, now time.Time, check func(AuthRequest) error) (a AuthRequest, replay bool, err error)
	DeleteAuthRequest(ctx context.Context, id string) error
}

// DeviceAuths stores RFC 8628 device authorizations.
type DeviceAuths interface {
	// CreateDeviceAuth: ErrAlreadyExists when the user code is taken by an
	// unexpired authorization.
	CreateDeviceAuth(ctx context.Context, d DeviceAuth) error
	GetDeviceAuthByDeviceCode(ctx context.Context, deviceCodeHash string) (DeviceAuth, error)
	GetDeviceAuthByUserCode(ctx context.Context, userCode string) (DeviceAuth, error)
	// UpdateDeviceAuth applies update in one transaction, found by user code.
	UpdateDeviceAuth(ctx context.Context, userCode string, update func(DeviceAuth) (DeviceAuth, error)) error
	// ConsumeDeviceAuth moves an approved authorization to consumed and
	// returns it; ErrNotFound unless it was approved (so it is single use).
	ConsumeDeviceAuth(ctx context.Context, deviceCodeHash string) (DeviceAuth, error)
}

// BrowserSessions stores hub single-sign-on sessions.
type BrowserSessions interface {
	CreateBrowserSession(ctx context.Context, s BrowserSession) error
	// GetBrowserSessionByToken: ErrNotFound when unknown or expired at now.
	GetBrowserSessionByToken(ctx context.Context, tokenHash string, now time.Time) (BrowserSession, error)
	// EndBrowserSession deletes the browser session and revokes, at now, every
	// Session created from it and every session exchanged from those
	// (Session.ParentID). It returns the ids of the revoked sessions.
	EndBrowserSession(ctx context.Context, id string, now time.Time) ([]string, error)
}

// Sessions stores login sessions (refresh token families) and revoked
// access token ids.
type Sessions interface {
	// CreateSession stores a new session with its first refresh token
	// (none when first.Hash is empty: a session whose access tokens need
	// no refresh, as a token exchange without a refresh token starts).
	CreateSession(ctx context.Context, s Session, first RefreshToken) error
	// CreateExchangedSession is CreateSession for a session exchanged from
	// s.ParentID (RFC 8693): it stores s only while the parent (a session,
	// or s.UserID's personal token: ParentPersonalToken) is live at now
	// (neither revoked nor expired), in one write transaction that a
	// concurrent revocation of the parent is ordered with, so the
	// revocation's cascade always sees the child. ErrNotFound when the
	// parent is not live.
	CreateExchangedSession(ctx context.Context, s Session, first RefreshToken, now time.Time) error
	GetSession(ctx context.Context, id string) (Session, error)
	// ListUserSessions lists a user's active sessions, newest first.
	ListUserSessions(ctx context.Context, userID string, now time.Time) ([]Session, error)
	// GetRefreshToken returns a refresh token and its session; ErrNotFound
	// when unknown (see RefreshKey for a key without a session).
	GetRefreshToken(ctx context.Context, key RefreshKey) (RefreshToken, Session, error)
	// RotateRefreshToken applies the refresh token rotation rule (RFC 9700
	// §4.14.2) atomically, as DecideRotation decides it: a current token is
	// rotated and next stored; a token rotated within grace gets next in the
	// same family; a token rotated earlier revokes the whole session, and
	// in the same transaction every session exchanged from it (directly or
	// through others), and writes an audit event of type "refresh_reuse".
	// Unknown tokens, expired tokens and tokens of revoked or expired
	// sessions give ErrNotFound; so may a key without a SessionID.
	// next.SessionID is set by the call. The session's LastUsedAt becomes
	// now. check, if not nil, sees the token's session before anything
	// changes; its error aborts the call with nothing changed (the caller's
	// client and scope checks, so that a refused request does not use the
	// token up).
	RotateRefreshToken(ctx context.Context, key RefreshKey, next RefreshToken, now time.Time, grace time.Duration, check func(Session) error) (RotateResult, error)
	// EndUserSessions signs a user out everywhere, in one transaction (a
	// password change): it revokes at now each of the user's live Sessions
	// (their refresh tokens and access tokens stop working), deletes their
	// live BrowserSessions and, with personalTokens, their live
	// PersonalTokens. Logins under way end too: the user's authorization
	// requests whose code is not yet exchanged are deleted and their
	// approved device authorizations denied. It counts what it ended; an
	// unknown user ends nothing.
	EndUserSessions(ctx context.Context, userID string, now time.Time, personalTokens bool) (EndedSessions, error)
	// RevokeSession revokes a session (idempotent) and, in the same
	// transaction, every live session exchanged from it, directly or
	// through others (Session.ParentID); ErrNotFound when unknown.
	RevokeSession(ctx context.Context, id string, now time.Time) error
	// RevokeAccessToken records an access token id as revoked until expiresAt.
	RevokeAccessToken(ctx context.Context, tokenID string, expiresAt time.Time) error
	// IsAccessTokenRevoked reports whether the access token id was revoked.
	IsAccessTokenRevoked(ctx context.Context, tokenID string) (bool, error)
	// GetLiveAccessToken returns the client and the user of an access token
	// the hub still honours: its id not revoked, its session (if it names
	// one) not revoked, its client and its user (if it names one: not a
	// service account's own token) present and enabled. Any other gives
	// ErrNotFound. It is one query, as every use of an access token asks.
	GetLiveAccessToken(ctx context.Context, t AccessTokenRefs) (Client, User, error)
}

// PersonalTokens stores personal (app) tokens.
type PersonalTokens interface {
	// CreatePersonalToken: ErrAlreadyExists when the user has a token of
	// that name that is not revoked.
	CreatePersonalToken(ctx context.Context, t PersonalToken) error
	// GetPersonalTokenByHash: ErrNotFound when unknown, revoked or expired
	// at now.
	GetPersonalTokenByHash(ctx context.Context, hash string, now time.Time) (PersonalToken, error)
	// GetPersonalToken returns a user's token, revoked or expired ones
	// included; ErrNotFound when unknown or another user's.
	GetPersonalToken(ctx context.Context, userID, id string) (PersonalToken, error)
	// ListPersonalTokens lists a user's tokens that are not revoked,
	// expired ones included, newest first.
	ListPersonalTokens(ctx context.Context, userID string) ([]PersonalToken, error)
	// ListAllPersonalTokens lists a user's tokens with the revoked ones
	// (until collected), newest first.
	ListAllPersonalTokens(ctx context.Context, userID string) ([]PersonalToken, error)
	// UpdatePersonalToken applies update to a user's token inside one
	// transaction (rotation, revocation); the ID and UserID cannot change.
	// ErrNotFound when unknown or another user's; ErrAlreadyExists when
	// the new name or hash is taken; update's own error as returned. When
	// the update ends what was exchanged from the token (EndsExchanged), the
	// same transaction revokes those sessions.
	UpdatePersonalToken(ctx context.Context, userID, id string, update func(PersonalToken) (PersonalToken, error)) error
	// TouchPersonalTokens records last uses in one transaction: each
	// token's LastUsedAt becomes the use's time unless it is already as
	// late (another node may have written a later use); unknown ids are
	// skipped.
	TouchPersonalTokens(ctx context.Context, uses []TokenUse) error
	// DeletePersonalToken deletes a user's token, revoking in the same
	// transaction the sessions exchanged from it; ErrNotFound when the token
	// does not exist or belongs to another user.
	DeletePersonalToken(ctx context.Context, userID, id string) error
}

// Audit stores the audit log.
type Audit interface {
	AppendAudit(ctx context.Context, e AuditEvent) error
	// ListAudit lists events newest first, at most limit.
	ListAudit(ctx context.Context, limit int) ([]AuditEvent, error)
}
