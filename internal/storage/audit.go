package storage

import "time"

// AuditEvent is one security-relevant event. Detail never holds a secret.
type AuditEvent struct {
	ID       int64
	Time     time.Time
	Type     string // one of the Audit* constants
	UserID   string
	ClientID string
	Address  string
	Detail   string
}

// Audit event types: the Type of an AuditEvent.
const (
	// AuditLogin is a successful password check.
	AuditLogin = "login"
	// AuditLoginFailed is a failed password check (Detail names the username).
	AuditLoginFailed = "login_failed"
	// AuditLogout ends a browser session at the end-session endpoint.
	AuditLogout = "logout"
	// AuditRevoke ends a login session or a personal token.
	AuditRevoke = "revoke"
	// AuditRefreshReuse is a refresh token presented again after its
	// rotation: the session is revoked (RFC 9700 §4.14.2).
	AuditRefreshReuse = "refresh_reuse"
	// AuditCodeReplay is an authorization code presented a second time
	// (RFC 6749 §4.1.2).
	AuditCodeReplay = "code_replay"
	// AuditTokenCreated is a new personal token.
	AuditTokenCreated = "token_created"
	// AuditTokenRotated is a personal token given a new secret.
	AuditTokenRotated = "token_rotated"
	// AuditDeviceApproved and AuditDeviceDenied are a user's answer to a
	// device authorization (RFC 8628 §3.3).
	AuditDeviceApproved = "device_approved"
	AuditDeviceDenied   = "device_denied"
	// AuditUpstreamLogin is a sign-in through an upstream provider
	// (Detail names the provider); AuditUpstreamFailed one that failed
	// (Detail names the provider and why: unreachable, cancelled, a bad
	// state, signature, nonce, audience or issuer, no account).
	AuditUpstreamLogin  = "upstream_login"
	AuditUpstreamFailed = "upstream_failed"
	// AuditUserProvisioned is a user created at a first upstream sign-in.
	AuditUserProvisioned = "user_provisioned"
	// AuditIdentityLinked and AuditIdentityUnlinked are a user's or an
	// administrator's change to the identities a user signs in with.
	AuditIdentityLinked   = "identity_linked"
	AuditIdentityUnlinked = "identity_unlinked"
	// AuditAdmin is every change made by an administrator.
	AuditAdmin = "admin"
	// AuditTokenExchange is a token exchanged (RFC 8693): a client acting
	// for a user; AuditTokenExchangeRefused one refused, with the reason.
	AuditTokenExchange        = "token_exchange"
	AuditTokenExchangeRefused = "token_exchange_refused"
)
