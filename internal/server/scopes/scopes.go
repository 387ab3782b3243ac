// Package scopes knows which scopes the hub grants: the OpenID Connect
// standard ones, the hub's own API scopes, and the scopes an operator
// registered for the platform's own APIs (hubauth admin scope add, e.g.
// uploads:write). Every entrance that takes scopes — authorize, device
// authorization, the token endpoint, the password endpoint and personal
// tokens — checks them against one Set, so an unknown scope is refused up
// front with the valid ones listed, and the consent and device pages
// describe each scope the same way.
package scopes

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// builtin lists the hub's own scopes, in the order they are listed, with
// the descriptions the consent page shows.
var builtin = []storage.Scope{
	{Name: "openid", Description: "know who you are"},
	{Name: "profile", Description: "see your name and username"},
	{Name: "email", Description: "see your email address"},
	{Name: "offline_access", Description: "stay signed in until you sign out"},
	{Name: "groups", Description: "see the groups you belong to"},
	{Name: "tokens:read", Description: "list your personal tokens and logins"},
	{Name: "tokens:write", Description: "create, rotate and revoke your personal tokens and logins"},
	{Name: "tokens:create", Description: "create and rotate your personal tokens (NOMAD's name; part of tokens:write)"},
	{Name: "tokens:delete", Description: "revoke your personal tokens and logins (NOMAD's name; part of tokens:write)"},
	{Name: "users:read", Description: "look up other users"},
	{Name: "groups:read", Description: "see the members of your groups"},
}

// reserved are OpenID Connect scopes the hub does not answer, which an
// operator may not register either: clients give them a standard meaning.
var reserved = []string{"phone", "address"}

// IsBuiltin reports whether name is one of the hub's own scopes.
func IsBuiltin(name string) bool {
	return slices.ContainsFunc(builtin, func(s storage.Scope) bool { return s.Name == name })
}

// maxListed bounds how many valid scopes an UnknownError names, so that
// the message fits in a redirect URL however many scopes are registered.
const maxListed = 40

// UnknownError is a request for a scope the hub does not know, or with
// ForClient for one the client is not allowed. Its message lists the valid
// scopes (the first maxListed, then where to find the rest), so a client
// learns what to ask for.
type UnknownError struct {
	Scope string
	Valid []string
	// ForClient: Valid are the scopes an operator allowed the client
	// (hubauth admin client set-scopes), a part of those the hub grants.
	ForClient bool
}

func (e *UnknownError) Error() string {
	msg, more := "unknown scope "+names.Quote(e.Scope)+"; valid scopes: ", " more (scopes_supported in the discovery document)"
	if e.ForClient {
		msg, more = "scope "+names.Quote(e.Scope)+" is not allowed for this client; allowed scopes: ", " more"
	}
	if len(e.Valid) <= maxListed {
		return msg + strings.Join(e.Valid, " ")
	}
	return msg + strings.Join(e.Valid[:maxListed], " ") + " and " + strconv.Itoa(len(e.Valid)-maxListed) + more
}

// Set is the scopes a hub grants at one moment: the built-in ones followed
// by the registered ones, sorted by name. Its scopes never change.
type Set struct {
	all    []storage.Scope
	byName map[string]string // name → description
	client bool              // the part of the hub's set a client is allowed

	restricted sync.Map // client id → restriction (restrictFor)
}

// NewSet returns the set of the built-in scopes and registered.
func NewSet(registered []storage.Scope) *Set {
	registered = slices.Clone(registered)
	slices.SortFunc(registered, func(a, b storage.Scope) int { return strings.Compare(a.Name, b.Name) })
	return newSet(append(slices.Clone(builtin), registered...), false)
}

func newSet(all []storage.Scope, client bool) *Set {
	byName := make(map[string]string, len(all))
	for _, s := range all {
		byName[s.Name] = s.Description
	}
	return &Set{all: all, byName: byName, client: client}
}

// Has reports whether the hub grants the scope name.
func (s *Set) Has(name string) bool {
	_, ok := s.byName[name]
	return ok
}

// Check returns an *UnknownError for the first scope the set does not hold.
func (s *Set) Check(names []string) error {
	for _, n := range names {
		if !s.Has(n) {
			return &UnknownError{Scope: n, Valid: s.Names(), ForClient: s.client}
		}
	}
	return nil
}

// Keep returns the names the set grants, in their order, without
// duplicates: what a token asking for names may carry now.
func (s *Set) Keep(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if s.Has(n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// All lists every scope with its description, built-in ones first.
func (s *Set) All() []storage.Scope { return slices.Clone(s.all) }

// Names lists every scope's name, built-in ones first.
func (s *Set) Names() []string {
	out := make([]string, len(s.all))
	for i, sc := range s.all {
		out[i] = sc.Name
	}
	return out
}

// Registered lists the names of the scopes an operator registered (the
// platform's own), sorted.
func (s *Set) Registered() []string {
	var out []string
	for _, sc := range s.all {
		if !IsBuiltin(sc.Name) {
			out = append(out, sc.Name)
		}
	}
	return out
}

// Describe returns names with their descriptions; a name the set does not
// hold (a scope removed since it was granted) gets a generic one.
func (s *Set) Describe(names []string) []storage.Scope {
	out := make([]storage.Scope, 0, len(names))
	for _, n := range names {
		d, ok := s.byName[n]
		if !ok {
			d = "use this permission of the platform's API"
		}
		out = append(out, storage.Scope{Name: n, Description: d})
	}
	return out
}
