package account

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestState(t *testing.T) {
	exp := issueNow.Add(time.Hour)
	tests := []struct {
		name string
		tok  storage.PersonalToken
		at   time.Time
		want string
	}{
		{"active", storage.PersonalToken{ExpiresAt: exp}, issueNow, StateActive},
		{"never expiring", storage.PersonalToken{}, issueNow.Add(100 * 365 * 24 * time.Hour), StateActive},
		{"expired at its expiry", storage.PersonalToken{ExpiresAt: exp}, exp, StateExpired},
		{"revoked", storage.PersonalToken{ExpiresAt: exp, RevokedAt: issueNow}, issueNow, StateRevoked},
		{"revoked wins over expired", storage.PersonalToken{ExpiresAt: exp, RevokedAt: issueNow}, exp, StateRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := State(tt.tok, tt.at); got != tt.want {
				t.Errorf("State = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	tests := []struct {
		name      string
		expiresIn int64
		policy    TokenPolicy
		wantLife  time.Duration // 0: never expires
	}{
		{"an hour", 3600, TokenPolicy{}, time.Hour},
		{"never expiring", 0, TokenPolicy{NoExpiry: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			iss, _, _ := newIssuer(t, tt.policy)
			first, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "ci", Description: "nightly", ExpiresIn: tt.expiresIn, Scopes: []string{"uploads:write"}})
			if err != nil {
				t.Fatal(err)
			}
			later := issueNow.Add(10 * time.Minute)
			iss.Now = func() time.Time { return later }
			out, err := iss.Rotate(ctx, Action{UserID: "u1", Address: "192.0.2.1"}, first.ID, nil)
			if err != nil {
				t.Fatalf("Rotate: %v", err)
			}
			if out.Token == first.Token || out.ID != first.ID || out.Name != "ci" || out.Description != "nightly" || len(out.Scopes) != 1 {
				t.Errorf("rotated = %+v, want a new secret for the same token", out.PersonalToken)
			}
			wantExp := time.Time{}
			if tt.wantLife > 0 {
				wantExp = later.Add(tt.wantLife)
			}
			if !out.CreatedAt.Equal(later) || !out.ExpiresAt.Equal(wantExp) {
				t.Errorf("rotated created %v expiring %v, want %v and %v", out.CreatedAt, out.ExpiresAt, later, wantExp)
			}
			if _, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(first.Token), later); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("the old secret after rotation: %v, want ErrNotFound", err)
			}
			if _, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(out.Token), later); err != nil {
				t.Errorf("the new secret: %v", err)
			}
			if got := audits(t, iss); len(got) != 2 || got[1].Type != storage.AuditTokenRotated || got[1].Detail != "personal token "+first.ID {
				t.Errorf("audit = %+v, want token_created then token_rotated", got)
			}
		})
	}
}

func TestRotateRefused(t *testing.T) {
	ctx := context.Background()
	iss, _, _ := newIssuer(t, TokenPolicy{})
	live, _ := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "live", ExpiresIn: 3600, Scopes: []string{"uploads:write"}})
	revoked, _ := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "revoked", ExpiresIn: 3600})
	expired, _ := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "expired", ExpiresIn: 60})
	if _, err := iss.Revoke(ctx, Action{UserID: "u1"}, revoked.ID); err != nil {
		t.Fatal(err)
	}
	iss.Now = func() time.Time { return issueNow.Add(time.Minute) }
	tests := []struct {
		name, user, id string
		holds          func(string) bool
		want           error
	}{
		{"unknown", "u1", "nope", nil, storage.ErrNotFound},
		{"another user's", "u2", live.ID, nil, storage.ErrNotFound},
		{"revoked", "u1", revoked.ID, nil, ErrNotActive},
		{"expired", "u1", expired.ID, nil, ErrNotActive},
		{"a scope the caller does not hold", "u1", live.ID, holdsOnly("profile"), &NotHeldError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iss.Rotate(ctx, Action{UserID: tt.user}, tt.id, tt.holds)
			var nh *NotHeldError
			if _, want := tt.want.(*NotHeldError); want && !errors.As(err, &nh) || !want && !errors.Is(err, tt.want) {
				t.Errorf("Rotate = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(live.Token), issueNow.Add(time.Minute)); err != nil {
		t.Errorf("a refused rotation changed the token: %v", err)
	}
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	iss, _, _ := newIssuer(t, TokenPolicy{})
	tok, _ := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "ci", ExpiresIn: 3600})
	if _, err := iss.Revoke(ctx, Action{UserID: "u2"}, tok.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("another user revoking: %v, want ErrNotFound", err)
	}
	got, err := iss.Revoke(ctx, Action{UserID: "u1", ClientID: "cli"}, tok.ID)
	if err != nil || !got.RevokedAt.Equal(issueNow) || State(got, issueNow) != StateRevoked {
		t.Fatalf("Revoke = %+v, %v; want revoked now", got, err)
	}
	if _, err := iss.Revoke(ctx, Action{UserID: "u1"}, tok.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("revoking again: %v, want ErrNotFound", err)
	}
	if _, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(tok.Token), issueNow); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a revoked token still authenticates: %v", err)
	}
	if all, _ := iss.Store.ListAllPersonalTokens(ctx, "u1"); len(all) != 1 {
		t.Errorf("revoked token not kept listed: %v", all)
	}
	if got := audits(t, iss); len(got) != 2 || got[1].Type != storage.AuditRevoke || got[1].ClientID != "cli" {
		t.Errorf("audit = %+v, want token_created then revoke", got)
	}
}

func TestCheckDescription(t *testing.T) {
	for desc, ok := range map[string]bool{"": true, "nightly uploads": true, "a\x1b[2Jb": false, string(make([]rune, MaxTokenDescription+1)): false} {
		if got := CheckDescription(desc) == nil; got != ok {
			t.Errorf("CheckDescription(%q) ok = %v, want %v", desc, got, ok)
		}
	}
}
