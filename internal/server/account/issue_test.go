package account

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

var issueNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newIssuer returns an Issuer over a fresh SQLite store holding the user
// u1 and the registered scope uploads:write, its log and the database path.
func newIssuer(t *testing.T, policy TokenPolicy) (*Issuer, *bytes.Buffer, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.CreateUser(ctx, storage.User{ID: "u1", Username: "ada", CreatedAt: issueNow}); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateScope(ctx, storage.Scope{Name: "uploads:write", Description: "create uploads", CreatedAt: issueNow}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return issueNow }
	var log bytes.Buffer
	return &Issuer{Store: store, Scopes: scopes.NewCatalog(store, now), Policy: policy,
		Logger: slog.New(slog.NewTextHandler(&log, nil)), Now: now}, &log, path
}

// holdsOnly is a caller's session holding the given scopes.
func holdsOnly(held ...string) func(string) bool {
	return func(sc string) bool { return strings.Contains(" "+strings.Join(held, " ")+" ", " "+sc+" ") }
}

func TestIssue(t *testing.T) {
	tests := []struct {
		name        string
		policy      TokenPolicy
		req         TokenRequest
		wantScopes  []string
		wantExpires time.Time
		wantVia     string // the audit detail's tail
	}{
		{"an hour", TokenPolicy{}, TokenRequest{Name: "ci", ExpiresIn: 3600, Scopes: []string{"uploads:write", "profile", "uploads:write"},
			Holds: holdsOnly("uploads:write", "profile"), ClientID: "hubauth-cli", Address: "192.0.2.1"},
			[]string{"uploads:write", "profile"}, issueNow.Add(time.Hour), ""},
		{"never expiring", TokenPolicy{NoExpiry: true}, TokenRequest{Name: "ci", ExpiresIn: 0},
			[]string{}, time.Time{}, ""},
		{"browser session grants any scope", TokenPolicy{}, TokenRequest{Name: "ci", ExpiresIn: 60, Scopes: []string{"uploads:write"}},
			[]string{"uploads:write"}, issueNow.Add(time.Minute), ""},
		{"via another endpoint", TokenPolicy{}, TokenRequest{Name: "app token", ExpiresIn: 60, Via: "/api/v1/auth/app_token"},
			[]string{}, issueNow.Add(time.Minute), " via /api/v1/auth/app_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			iss, _, _ := newIssuer(t, tt.policy)
			tt.req.UserID = "u1"
			out, err := iss.Issue(ctx, tt.req)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if !strings.HasPrefix(out.Token, bearer.PersonalTokenPrefix) || len(out.Token) < len(bearer.PersonalTokenPrefix)+20 {
				t.Errorf("token %q… is not %s and a secret", out.Token[:min(len(out.Token), 16)], bearer.PersonalTokenPrefix)
			}
			stored, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(out.Token), issueNow)
			if err != nil {
				t.Fatalf("the token is not stored by its SHA-256 hash: %v", err)
			}
			if stored.Hash == out.Token || strings.Contains(stored.Hash, out.Token) {
				t.Error("the store holds the token in clear")
			}
			if diff := cmp.Diff(tt.wantScopes, append([]string{}, stored.Scopes...)); diff != "" {
				t.Errorf("stored scopes (-want +got):\n%s", diff)
			}
			if !stored.ExpiresAt.Equal(tt.wantExpires) || stored.Name != tt.req.Name || stored.UserID != "u1" {
				t.Errorf("stored %q of %s expiring %v, want %q of u1 expiring %v", stored.Name, stored.UserID, stored.ExpiresAt, tt.req.Name, tt.wantExpires)
			}
			want := storage.AuditEvent{Time: issueNow, Type: "token_created", UserID: "u1", ClientID: tt.req.ClientID,
				Address: tt.req.Address, Detail: "personal token " + out.ID + tt.wantVia}
			if diff := cmp.Diff([]storage.AuditEvent{want}, audits(t, iss)); diff != "" {
				t.Errorf("audit (-want +got):\n%s", diff)
			}
		})
	}
}

// wantRecorded checks that u1 holds n tokens and the audit log n records,
// and returns the tokens.
func wantRecorded(t *testing.T, iss *Issuer, n int) []storage.PersonalToken {
	t.Helper()
	ts, err := iss.Store.ListPersonalTokens(context.Background(), "u1")
	if err != nil || len(ts) != n {
		t.Fatalf("stored tokens = %v (%v), want %d", ts, err, n)
	}
	if got := audits(t, iss); len(got) != n {
		t.Errorf("audit = %v, want %d records", got, n)
	}
	return ts
}

// audits lists the audit log, oldest first, without ids.
func audits(t *testing.T, iss *Issuer) []storage.AuditEvent {
	t.Helper()
	es, err := iss.Store.(storage.Audit).ListAudit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := []storage.AuditEvent{}
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		e.ID, e.Time = 0, e.Time.UTC()
		out = append(out, e)
	}
	return out
}

func TestIssueRefused(t *testing.T) {
	tests := []struct {
		name      string
		req       TokenRequest
		wantField string // the InputError's field; "" for a NotHeldError
	}{
		{"empty name", TokenRequest{Name: "", ExpiresIn: 60}, FieldName},
		{"control character in the name", TokenRequest{Name: "ci\x1b[2J", ExpiresIn: 60}, FieldName},
		{"no lifetime given", TokenRequest{Name: "ci", ExpiresIn: -1}, FieldExpiresIn},
		{"never expiring, not allowed", TokenRequest{Name: "ci", ExpiresIn: 0}, FieldExpiresIn},
		{"over the maximum", TokenRequest{Name: "ci", ExpiresIn: 7201}, FieldExpiresIn},
		{"unknown scope", TokenRequest{Name: "ci", ExpiresIn: 60, Scopes: []string{"root"}}, FieldScopes},
		{"scope the caller does not hold", TokenRequest{Name: "ci", ExpiresIn: 60, Scopes: []string{"profile", "uploads:write"},
			Holds: holdsOnly("profile")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			iss, _, _ := newIssuer(t, TokenPolicy{Max: 2 * time.Hour})
			tt.req.UserID = "u1"
			_, err := iss.Issue(ctx, tt.req)
			var input *InputError
			var notHeld *NotHeldError
			switch {
			case tt.wantField != "" && (!errors.As(err, &input) || input.Field != tt.wantField):
				t.Fatalf("Issue = %v, want an InputError on %s", err, tt.wantField)
			case tt.wantField == "" && (!errors.As(err, &notHeld) || notHeld.Scope != "uploads:write"):
				t.Fatalf("Issue = %v, want a NotHeldError on uploads:write", err)
			}
			wantRecorded(t, iss, 0)
		})
	}
}

func TestIssueDuplicateName(t *testing.T) {
	ctx := context.Background()
	iss, _, _ := newIssuer(t, TokenPolicy{})
	req := TokenRequest{UserID: "u1", Name: "ci", ExpiresIn: 60}
	first, err := iss.Issue(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Issue(ctx, req); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("second token named ci: %v, want storage.ErrAlreadyExists", err)
	}
	if ts := wantRecorded(t, iss, 1); ts[0].ID != first.ID {
		t.Errorf("stored token %s, want the first, %s", ts[0].ID, first.ID)
	}
}

// TestIssueAuditFails: a token whose audit record the database refuses is
// issued all the same, and the failure is logged without the secret.
func TestIssueAuditFails(t *testing.T) {
	ctx := context.Background()
	iss, log, path := newIssuer(t, TokenPolicy{})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TRIGGER no_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(FAIL, 'audit refused'); END`); err != nil {
		t.Fatal(err)
	}
	out, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "ci", ExpiresIn: 60})
	if err != nil {
		t.Fatalf("Issue: %v, want the token issued", err)
	}
	if _, err := iss.Store.GetPersonalTokenByHash(ctx, secret.Hash(out.Token), issueNow); err != nil {
		t.Errorf("the token is not stored: %v", err)
	}
	if !strings.Contains(log.String(), "audit refused") || !strings.Contains(log.String(), "token_created") {
		t.Errorf("log = %q, want the audit failure", log.String())
	}
	if strings.Contains(log.String(), out.Token) {
		t.Error("the log holds the token")
	}
}
