package mfa

import (
	"fmt"
	"slices"

	"github.com/hubauth/hubauth/internal/storage"
)

// Policy says who must sign in with a second factor (serve --require-mfa).
type Policy string

// Policies.
const (
	// PolicyOff requires none: users who enrolled one are still asked.
	PolicyOff Policy = "off"
	// PolicyAdmins requires one of administrators.
	PolicyAdmins Policy = "admins"
	// PolicyAll requires one of every user.
	PolicyAll Policy = "all"
)

// ParsePolicy reads a --require-mfa value; "" is PolicyOff.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(s); p {
	case "":
		return PolicyOff, nil
	case PolicyOff, PolicyAdmins, PolicyAll:
		return p, nil
	}
	return "", fmt.Errorf("mfa: unknown policy %q: want off, admins or all", s)
}

// Requires reports whether the policy requires u to use a second factor.
func (p Policy) Requires(u storage.User) bool {
	return p == PolicyAll || (p == PolicyAdmins && u.Admin)
}

// Satisfied reports whether a sign-in whose recorded AMR is amr used a
// second factor.
func Satisfied(amr []string) bool { return storage.HasMFA(amr) }

// AskedFor reports whether a client's acr_values ask for a second factor.
func AskedFor(acrValues []string) bool { return slices.Contains(acrValues, storage.ACRMFA) }
