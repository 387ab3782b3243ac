package upstream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// Usernames tried when provisioning: the claim's, then with -2 … -numbered,
// then with random suffixes.
const (
	numbered   = 5
	randomized = 5
	maxBase    = names.MaxID - 9 // room for "-" and a random suffix
)

// provision creates a user for id with a unique valid username (its
// claim's made valid, else generated), taking the next candidate when the
// name is taken. When the identity itself was provisioned meanwhile (a
// concurrent sign-in of the same identity won), it returns that user.
func (f *Federation) provision(ctx context.Context, id Identity, addr string) (storage.User, error) {
	base := usernameBase(id.Username)
	for i := range numbered + randomized {
		u := storage.User{ID: secret.ID(), Username: candidate(base, i), Name: id.Name, Email: id.Email,
			EmailVerified: id.EmailVerified, CreatedAt: f.now().UTC()}
		if err := (admin.NewUser{Username: u.Username, Name: u.Name, Email: u.Email}).Check(); err != nil {
			return storage.User{}, fmt.Errorf("upstream: provision: %w", err) // claims.go let something through
		}
		err := f.cfg.Store.ProvisionUser(ctx, u, f.userIdentity(id, u.ID))
		if err == nil {
			f.audit(ctx, storage.AuditUserProvisioned, u.ID, addr, "provider "+id.Provider.Name+" username "+u.Username)
			return u, nil
		}
		if !errors.Is(err, storage.ErrAlreadyExists) {
			return storage.User{}, fmt.Errorf("upstream: provision: %w", err)
		}
		if u, err := f.linkedUser(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			return u, err // the identity is taken: by its own concurrent sign-in
		}
	}
	return storage.User{}, fmt.Errorf("upstream: provision: no free username after %d tries", numbered+randomized)
}

// usernameBase makes claim a valid username by the rule of names.CheckID
// (the one of admin user add): lower case, characters outside the rule
// dropped, no leading "-" or "." (it would read as a flag on a command
// line), short enough for a suffix; "" when nothing is left.
func usernameBase(claim string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(claim) {
		if names.CheckID("username", string(r)) == nil {
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), "-.")
	if len(s) > maxBase {
		s = s[:maxBase] // ASCII only by now
	}
	return s
}

// candidate is the i-th username tried for base: base, base-2 …
// base-numbered, then base with a random suffix; a generated
// "user-RANDOM" for an empty base.
func candidate(base string, i int) string {
	switch {
	case base == "":
		return "user-" + randomSuffix()
	case i == 0:
		return base
	case i < numbered:
		return base + "-" + strconv.Itoa(i+1)
	}
	return base + "-" + randomSuffix()
}

// randomSuffix is 8 random lower-case letters and digits.
func randomSuffix() string { return strings.ToLower(secret.ID()[:8]) }
