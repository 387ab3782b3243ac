package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
)

func TestLoginToken(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	// A token obtained elsewhere: here, by another client that keeps nothing.
	other, _ := loggedIn(t, h, func(cfg *client.Config) { cfg.NoStore = true })
	tok, _ := other.Token(ctx)

	dir := t.TempDir()
	c := newClient(t, h, dir)
	if err := c.LoginToken(ctx, tok.AccessToken+"\n", client.TokenOptions{}); err != nil {
		t.Fatalf("LoginToken: %v", err)
	}
	info, _ := c.Session()
	if info.Method != client.MethodToken || info.Refreshable || info.Username != demoUser || info.Expiry.IsZero() {
		t.Fatalf("Session after LoginToken = %+v", info)
	}
	if got, err := newClient(t, h, dir).Token(ctx); err != nil || got.AccessToken != tok.AccessToken {
		t.Fatalf("restored token = %v, %v", got, err)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request with the given token: %v", err)
	}
	// Never refreshed: past its expiry it is expired.
	clk := &hubtest.Clock{}
	clk.Advance(time.Hour)
	late := newClient(t, h, dir, func(cfg *client.Config) { cfg.Now = clk.Now })
	if _, err := late.Token(ctx); !errors.Is(err, client.ErrSessionExpired) || h.refreshes.Load() != 0 {
		t.Fatalf("Token of an old given token = %v, want ErrSessionExpired and no refresh", err)
	}
}

func TestLoginTokenRefused(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	dir := t.TempDir()
	c := newClient(t, h, dir)
	const secret = "not-a-token-the-hub-knows"
	err := c.LoginToken(ctx, secret, client.TokenOptions{})
	if !errors.Is(err, client.ErrNotLoggedIn) || strings.Contains(err.Error(), secret) {
		t.Fatalf("LoginToken with a refused token = %v, want ErrNotLoggedIn without the token", err)
	}
	expired := fakeJWT(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})
	if err := c.LoginToken(ctx, expired, client.TokenOptions{}); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("LoginToken with an expired JWT = %v", err)
	}
	if err := c.LoginToken(ctx, "  ", client.TokenOptions{}); err == nil {
		t.Fatal("LoginToken with no token succeeded")
	}
	if _, ok := stored(t, dir, h); ok {
		t.Fatal("a refused token was stored")
	}
}
