package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hubauth/hubauth/client"
)

// TestSessions lists two logins of one user, marks the current one, and
// revokes the other.
func TestSessions(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c, _ := loggedIn(t, h)
	other := newClient(t, h, t.TempDir())
	if err := other.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{TokenName: "cluster"}); err != nil {
		t.Fatal(err)
	}
	ss, err := c.Sessions(ctx)
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	if len(ss) != 2 {
		t.Fatalf("Sessions = %+v, want 2", ss)
	}
	cur := slices.IndexFunc(ss, func(s client.LoginSession) bool { return s.Current })
	named := slices.IndexFunc(ss, func(s client.LoginSession) bool { return s.Name == "cluster" })
	if cur < 0 || named < 0 || cur == named {
		t.Fatalf("Sessions = %+v, want the current one and the one named cluster", ss)
	}
	if s := ss[named]; s.Method != client.MethodPassword || s.ClientID == "" || s.CreatedAt.IsZero() {
		t.Errorf("session = %+v, want method password, a client and a creation time", s)
	}

	if err := c.RevokeSession(ctx, ss[named].ID); err != nil {
		t.Fatalf("RevokeSession: %v", err)
	}
	if ss, err := c.Sessions(ctx); err != nil || len(ss) != 1 || !ss[0].Current {
		t.Errorf("Sessions after revoking the other = %+v, %v; want the current one only", ss, err)
	}
	if err := c.RevokeSession(ctx, ss[named].ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("RevokeSession again = %v, want ErrNotFound", err)
	}
}
