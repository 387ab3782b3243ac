package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hubauth/hubauth/client"
)

// The hub API's calls to a provider that is not a hub fail with
// ErrNotHub, naming the account page its discovery document publishes
// (account_management_uri) when it is a web URL; a hub's own 404 stays
// ErrNotFound.
func TestNotHub(t *testing.T) {
	tests := []struct {
		name, account, want string
	}{
		{"no account page", "", ""},
		{"account page", "https://id.example.org/account", "https://id.example.org/account"},
		{"not a web URL", "javascript:alert(1)", ""},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newOtherProvider(t)
			p.account = tt.account
			c, err := client.New(ctx, client.Config{Server: p.URL, DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
				t.Fatal(err)
			}
			calls := map[string]func() error{
				"Tokens":       func() error { _, err := c.Tokens(ctx); return err },
				"RevokeToken":  func() error { return c.RevokeToken(ctx, "x") },
				"Sessions":     func() error { _, err := c.Sessions(ctx); return err },
				"Users":        func() error { _, err := c.Users(ctx, nil, []string{"ada"}); return err },
				"GroupMembers": func() error { _, err := c.GroupMembers(ctx, "g"); return err },
			}
			for name, call := range calls {
				err := call()
				var nh *client.NotHubError
				if !errors.Is(err, client.ErrNotHub) || !errors.As(err, &nh) || errors.Is(err, client.ErrNotFound) {
					t.Fatalf("%s = %v, want a *NotHubError, not ErrNotFound", name, err)
				}
				if nh.Server != p.URL || nh.AccountURI != tt.want {
					t.Errorf("%s = %+v, want server %s, account %q", name, nh, p.URL, tt.want)
				}
			}
		})
	}
}

// On a hub, an unknown id is the hub's 404: ErrNotFound, not ErrNotHub.
func TestNotHubNotOnAHub(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	err := c.RevokeToken(context.Background(), "no-such-token")
	if !errors.Is(err, client.ErrNotFound) || errors.Is(err, client.ErrNotHub) {
		t.Errorf("RevokeToken(unknown) = %v, want ErrNotFound", err)
	}
}

// CheckHub tells a hub from other providers without credentials.
func TestCheckHub(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	p := newOtherProvider(t)
	p.account = "https://id.example.org/account"
	tests := []struct {
		name, server string
		want         error
	}{
		{"hub", h.URL, nil},
		{"another provider", p.URL, client.ErrNotHub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.New(ctx, client.Config{Server: tt.server, NoStore: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.CheckHub(ctx); !errors.Is(err, tt.want) {
				t.Errorf("CheckHub = %v, want %v", err, tt.want)
			}
		})
	}
}
