package upstream

import (
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// Identity is who the upstream says signed in, its claims checked and
// clipped. Provider is the provider as read at the callback, its
// ClientSecret blanked.
type Identity struct {
	Provider      storage.IdentityProvider
	Subject       string
	Username      string // the configured claim's value as sent (maybe invalid), clipped
	Name, Email   string // "" when absent or unusable
	EmailVerified bool
	Groups        []string // the groups claim's values (GroupsClaim set), unprefixed
	// AuthTime is when the user signed in at the upstream (its auth_time,
	// checked against prompt=login and max_age, never later than Finish
	// ran; Finish's time when the upstream does not say): the hub
	// session's AuthTime.
	AuthTime time.Time
}

// Bounds on the claims kept from an upstream.
const (
	maxText   = 255 // username claim, name
	maxEmail  = 254 // RFC 5321 §4.5.3.1.3 path limit, less the brackets
	maxGroups = 200
)

// identityFrom maps an ID token's (and userinfo's) claims to an Identity.
// Only the subject is required; other unusable claims are dropped.
func identityFrom(p storage.IdentityProvider, c map[string]any) (Identity, error) {
	sub, _ := c["sub"].(string)
	if admin.CheckSubject(sub) != nil { // the rule of admin user link
		return Identity{}, fail(ErrRejected, "missing or malformed sub claim", nil)
	}
	id := Identity{Provider: public(p), Subject: sub, Name: name(c), Email: email(c), EmailVerified: verified(c["email_verified"])}
	id.Username = names.Clip(str(c, p.UsernameClaim), maxText)
	if id.Email == "" {
		id.EmailVerified = false
	}
	if p.GroupsClaim != "" {
		id.Groups = groupsClaim(c[p.GroupsClaim])
	}
	return id, nil
}

// str returns claim k of c when it is a string.
func str(c map[string]any, k string) string {
	s, _ := c[k].(string)
	return s
}

// name is the name claim, else given_name family_name: free text, kept
// when it passes names.CheckText.
func name(c map[string]any) string {
	n := strings.TrimSpace(str(c, "name"))
	if n == "" {
		n = strings.TrimSpace(str(c, "given_name") + " " + str(c, "family_name"))
	}
	n = names.Clip(n, maxText)
	if names.CheckText("name", n) != nil {
		return ""
	}
	return n
}

// email is the email claim when it is a bare address (admin's rule).
func email(c map[string]any) string {
	e := str(c, "email")
	if len(e) > maxEmail || admin.CheckEmail(e) != nil {
		return ""
	}
	return e
}

// verified reads email_verified: a boolean, or the string "true" some
// upstreams send.
func verified(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// groupsClaim reads a groups claim: an array of strings or one string.
// Values that are not strings are skipped; at most maxGroups are kept,
// each clipped (syncGroups checks them as group names).
func groupsClaim(v any) []string {
	var out []string
	add := func(s string) {
		if s != "" && len(out) < maxGroups {
			out = append(out, names.Clip(s, maxText))
		}
	}
	switch v := v.(type) {
	case string:
		add(v)
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				add(s)
			}
		}
	}
	return out
}
