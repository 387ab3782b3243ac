// Package audience decides whom an access token is for (RFC 8707 resource
// indicators): a registered API (hubauth admin api add), whose URI becomes
// the token's aud and whose scopes, with the OpenID Connect sign-in ones,
// are all the token carries; or, when the grant is for no API, the client
// itself. Every grant — authorize, device authorization, the code, refresh,
// device and client credentials grants and token exchange — asks this one
// package, so the rule holds the same everywhere and across refreshes.
package audience

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// ErrInvalidTarget is wrapped by every refusal: the request names an
// unknown resource, one its grant does not cover, or mixes APIs without
// naming one (RFC 8707 §2: invalid_target).
var ErrInvalidTarget = errors.New("invalid_target")

// Error is a refusal with a description for the client.
type Error struct{ Description string }

func (e *Error) Error() string { return e.Description }

// Unwrap makes every Error an ErrInvalidTarget.
func (e *Error) Unwrap() error { return ErrInvalidTarget }

// refuse is the invalid_target refusal with the description format
// makes of args.
func refuse(format string, args ...any) error {
	return &Error{Description: fmt.Sprintf(format, args...)}
}

// quoteAll quotes each of l and joins them with ", ".
func quoteAll(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = names.Quote(s)
	}
	return strings.Join(q, ", ")
}

// APIs is the registered APIs at one moment. Its contents never change.
type APIs struct {
	byURI map[string]storage.API
	owner map[string]string // scope → URI of the API owning it
}

// New returns the set of the APIs list.
func New(list []storage.API) *APIs {
	a := &APIs{byURI: make(map[string]storage.API, len(list)), owner: map[string]string{}}
	for _, api := range list {
		a.byURI[api.URI] = api
		for _, sc := range api.Scopes {
			a.owner[sc] = api.URI
		}
	}
	return a
}

// Target is what one access token is for.
type Target struct {
	// Audience is the API's URI; empty: the token is for the client.
	Audience string
	// Scopes are the token's scopes: for an API, those of the grant that
	// the API owns or that are OpenID Connect sign-in scopes.
	Scopes []string
}

// AudienceOr returns the token's aud: t.Audience, or clientID when the token
// is for no API.
func (t Target) AudienceOr(clientID string) []string {
	if t.Audience != "" {
		return []string{t.Audience}
	}
	return []string{clientID}
}

// Grant decides which APIs an authorization covers (authorize, device
// authorization, client credentials): the ones named with resource, each
// of which must be registered, be asked for at least one of its scopes (a
// resource alone never grants an audience: an API that checks aud but not
// scope would take it) and together own every API scope asked for;
// without resource, the one API the scopes belong to (none when they
// belong to none). Scopes of several APIs without resource are refused,
// asking for one.
func (a *APIs) Grant(resources, requested []string) ([]string, error) {
	resources = names.Dedupe(resources)
	for _, r := range resources {
		if _, ok := a.byURI[r]; !ok {
			return nil, a.unknown(r)
		}
	}
	owners := a.owners(requested)
	if len(resources) == 0 {
		if len(owners) > 1 {
			return nil, refuse("the scopes belong to several APIs (%s): name the one the token is for with resource (RFC 8707)",
				quoteAll(owners))
		}
		return owners, nil
	}
	for _, sc := range requested {
		if u, ok := a.owner[sc]; ok && !slices.Contains(resources, u) {
			return nil, refuse("scope %s belongs to the API %s, which resource does not name", names.Quote(sc), names.Quote(u))
		}
	}
	for _, r := range resources {
		if !slices.Contains(owners, r) {
			return nil, refuse("the request asks for no scope of the API %s: ask for one of its scopes (%s) to get a token for it",
				names.Quote(r), strings.Join(a.byURI[r].Scopes, " "))
		}
	}
	return resources, nil
}

// Token decides what one access token of a grant is for. covered is what
// the grant covers (Grant's result, stored with it; empty for a grant made
// before its API was registered: then the APIs its scopes belong to);
// resources are the token request's resource parameters (RFC 8707 §2.2: at
// most one, which the grant covers); granted are the scopes the token may
// carry before the cut.
func (a *APIs) Token(covered, resources, granted []string) (Target, error) {
	if len(covered) == 0 {
		covered = a.owners(granted)
	}
	resources = names.Dedupe(resources)
	var uri string
	switch {
	case len(resources) > 1:
		return Target{}, refuse("name one resource per token request (RFC 8707 §2.2)")
	case len(resources) == 1:
		uri = resources[0]
		if !slices.Contains(covered, uri) {
			if _, ok := a.byURI[uri]; !ok {
				return Target{}, a.unknown(uri)
			}
			return Target{}, refuse("the grant does not cover the resource %s", names.Quote(uri))
		}
	case len(covered) == 1:
		uri = covered[0]
	case len(covered) > 1:
		return Target{}, refuse("the grant covers several APIs (%s): name the one the token is for with resource (RFC 8707)",
			quoteAll(covered))
	default:
		return Target{Scopes: granted}, nil
	}
	if _, ok := a.byURI[uri]; !ok {
		return Target{}, refuse("the API %s is no longer registered at the hub", names.Quote(uri))
	}
	return Target{Audience: uri, Scopes: a.cut(uri, granted)}, nil
}

// cut keeps the scopes the API at uri owns and the sign-in ones.
func (a *APIs) cut(uri string, granted []string) []string {
	out := make([]string, 0, len(granted))
	for _, sc := range granted {
		if a.owner[sc] == uri || slices.Contains(scopes.SignIn, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// Lookup returns the API registered at uri.
func (a *APIs) Lookup(uri string) (storage.API, bool) {
	api, ok := a.byURI[uri]
	return api, ok
}

// owners lists the URIs of the APIs owning any of names, in first-seen order.
func (a *APIs) owners(names []string) []string {
	var out []string
	for _, sc := range names {
		if u, ok := a.owner[sc]; ok && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// unknown refuses a resource no API has, naming the registered APIs (at
// most maxListed).
func (a *APIs) unknown(uri string) error {
	known := make([]string, 0, len(a.byURI))
	for u := range a.byURI {
		known = append(known, u)
	}
	slices.Sort(known)
	if len(known) == 0 {
		return refuse("unknown resource %s: the hub has no registered API", names.Quote(uri))
	}
	more := ""
	if len(known) > maxListed {
		known, more = known[:maxListed], " …"
	}
	return refuse("unknown resource %s; registered APIs: %s%s", names.Quote(uri), strings.Join(known, " "), more)
}

// maxListed bounds how many APIs an unknown resource's error names.
const maxListed = 20

// URIOf returns the URI of the API named by its URI or its ID (RFC 8693's
// audience may be either); a name no API has comes back as it is.
func (a *APIs) URIOf(name string) string {
	if _, ok := a.byURI[name]; ok {
		return name
	}
	for uri, api := range a.byURI {
		if api.ID == name {
			return uri
		}
	}
	return name
}
