package scopes

import "slices"

// Claims is which of a user's claims a token reveals. The ID token,
// /userinfo, introspection and /api/v1/users/me all answer by it, so a
// client sees the same user whichever it asks (OpenID Connect Core §5.4).
type Claims struct {
	Profile bool // name and username (preferred_username)
	Email   bool
	Groups  bool // the names of the user's groups
}

// ClaimsOf returns the claims granted scopes reveal: profile → name and
// username, email → email, groups → groups. openid alone reveals only the
// subject.
func ClaimsOf(granted []string) Claims {
	return Claims{
		Profile: slices.Contains(granted, "profile"),
		Email:   slices.Contains(granted, "email"),
		Groups:  slices.Contains(granted, "groups"),
	}
}

// AllClaims reveals every claim: what a first-party client, acting with the
// user's full rights, sees.
var AllClaims = Claims{Profile: true, Email: true, Groups: true}
