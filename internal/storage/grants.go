package storage

// CLIClientID is the built-in public client of the hubauth CLI and SDK,
// present in every hub database from the server's first start.
const CLIClientID = "hubauth-cli"

// Grant types a Client may hold (Client.GrantTypes), as token endpoint
// grant_type values.
const (
	GrantAuthorizationCode = "authorization_code"                           // RFC 6749 §4.1
	GrantRefreshToken      = "refresh_token"                                // RFC 6749 §6
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code" // RFC 8628 §3.4
	GrantClientCredentials = "client_credentials"                           // RFC 6749 §4.4
	// GrantPassword allows the NOMAD-style /api/v1/auth/token endpoint
	// (public clients only); the OAuth token endpoint has no password grant.
	GrantPassword = "password"
	// GrantTokenExchange is RFC 8693 token exchange (confidential clients
	// only, for the APIs of Client.ExchangeAudiences).
	GrantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// GrantTypes returns every grant type a client may be given.
func GrantTypes() []string {
	return []string{GrantAuthorizationCode, GrantRefreshToken, GrantDeviceCode, GrantClientCredentials, GrantPassword,
		GrantTokenExchange}
}

// DocsClientID is the built-in public client of the hub's API dashboard
// (/api/v1/docs/): its Authorize button logs the user in with it.
const DocsClientID = "hubauth-docs"
