package hubtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// AddUser creates a user with a password (name "Ada" and e-mail
// ada@example.org for "ada"), member of groups (created when missing), and
// returns its id (sub).
func (h *Hub) AddUser(t testing.TB, username, pw string, groups ...string) string {
	t.Helper()
	hasher := password.NewHasher(password.TestParams, 1, 0)
	defer hasher.Close()
	hash, err := hasher.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	u := storage.User{ID: secret.ID(), Username: username, Name: strings.ToUpper(username[:1]) + username[1:],
		Email: username + "@example.org", EmailVerified: true, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	for _, g := range groups {
		h.AddGroup(t, g, u.ID)
	}
	return u.ID
}

// AddGroup creates a group unless it exists and adds the users to it.
func (h *Hub) AddGroup(t testing.TB, name string, userIDs ...string) {
	t.Helper()
	ctx := context.Background()
	err := h.Store.CreateGroup(ctx, storage.Group{Name: name, CreatedAt: time.Now().UTC()})
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("create group %s: %v", name, err)
	}
	for _, id := range userIDs {
		if err := h.Store.AddGroupMember(ctx, name, id); err != nil {
			t.Fatalf("add %s to group %s: %v", id, name, err)
		}
	}
}

// AddClient registers a client; a confidential one without a SecretHash
// gets a new secret, returned ("" otherwise).
func (h *Hub) AddClient(t testing.TB, c storage.Client) string {
	t.Helper()
	sec := ""
	if !c.Public && c.SecretHash == "" {
		sec = secret.New()
		c.SecretHash = secret.Hash(sec)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	if err := h.Store.CreateClient(context.Background(), c); err != nil {
		t.Fatalf("create client %s: %v", c.ID, err)
	}
	return sec
}

// AddScope registers a scope of the platform's own API.
func (h *Hub) AddScope(t testing.TB, name, description string) {
	t.Helper()
	sc := storage.Scope{Name: name, Description: description, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateScope(context.Background(), sc); err != nil {
		t.Fatalf("create scope %s: %v", name, err)
	}
}
