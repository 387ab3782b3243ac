package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

func TestLogoutRevokesAndDeletes(t *testing.T) {
	h := newHub(t)
	c, dir := loggedIn(t, h)
	s, _ := stored(t, dir, h)
	if err := c.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if code := h.refreshWith(t, s.RefreshToken); code != "invalid_grant" {
		t.Fatalf("refresh after logout = %q, want invalid_grant", code)
	}
	if _, ok := stored(t, dir, h); ok {
		t.Fatal("logout left the session on disk")
	}
	if _, err := c.Token(context.Background()); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("Token after logout = %v, want ErrNotLoggedIn", err)
	}
	if err := c.Logout(context.Background()); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("second Logout = %v, want ErrNotLoggedIn", err)
	}
}

func TestLogoutWithServerDown(t *testing.T) {
	h := newHub(t)
	_, dir := loggedIn(t, h)
	h.Close()
	c := newClient(t, h, dir)
	err := c.Logout(context.Background())
	if !errors.Is(err, client.ErrServerNotTold) || errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("Logout with the server down = %v, want ErrServerNotTold", err)
	}
	if _, ok := stored(t, dir, h); ok {
		t.Fatal("the session was kept although the user logged out")
	}
	if _, ok := c.Session(); ok {
		t.Fatal("Session after logout reports one")
	}
}

func TestLogoutAll(t *testing.T) {
	a, b := newHub(t), newHub(t)
	ctx := context.Background()
	_, dir := loggedIn(t, a)
	for _, profile := range []string{"default", "work"} {
		c := newClient(t, b, dir, func(cfg *client.Config) { cfg.Profile = profile })
		if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := store.Open(dir, false, nil).List()
	b.Close() // b is not told, but its sessions still go
	err := newClient(t, a, dir).LogoutAll(ctx)
	if !errors.Is(err, client.ErrServerNotTold) {
		t.Fatalf("LogoutAll with one server down = %v, want ErrServerNotTold", err)
	}
	if list, _ := store.Open(dir, false, nil).List(); len(before) != 3 || len(list) != 0 {
		t.Fatalf("sessions before/after LogoutAll: %d/%d, want 3/0", len(before), len(list))
	}
	var ofA store.Session
	for _, s := range before {
		if s.Server == a.URL {
			ofA = s
		}
	}
	if code := a.refreshWith(t, ofA.RefreshToken); ofA.RefreshToken == "" || code != "invalid_grant" {
		t.Fatalf("a's refresh token after LogoutAll: %q, want invalid_grant", code)
	}
}
