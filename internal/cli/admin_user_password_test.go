package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// signedIn gives ada a login session, a browser session and a personal
// token, as the server would.
func signedIn(t *testing.T, s storage.Storage, userID string) {
	t.Helper()
	ctx := context.Background()
	day := 24 * time.Hour
	sess := storage.Session{ID: "s-1", UserID: userID, ClientID: "hubauth-cli", Method: storage.MethodPassword,
		CreatedAt: testNow, LastUsedAt: testNow, ExpiresAt: testNow.Add(30 * day)}
	first := storage.RefreshToken{Hash: "rt-1", SessionID: "s-1", CreatedAt: testNow, ExpiresAt: testNow.Add(30 * day)}
	if err := s.CreateSession(ctx, sess, first); err != nil {
		t.Fatal(err)
	}
	b := storage.BrowserSession{ID: "b-1", TokenHash: "cookie-1", UserID: userID, CreatedAt: testNow, ExpiresAt: testNow.Add(day)}
	if err := s.CreateBrowserSession(ctx, b); err != nil {
		t.Fatal(err)
	}
	pt := storage.PersonalToken{ID: "t-1", UserID: userID, Name: "ci", Hash: "pat-1", CreatedAt: testNow}
	if err := s.CreatePersonalToken(ctx, pt); err != nil {
		t.Fatal(err)
	}
}

// TestUserSetPasswordEndsSessions: a new password signs the user out
// (login and browser sessions), keeps personal tokens unless asked, and
// says so on the terminal and in the audit log.
func TestUserSetPasswordEndsSessions(t *testing.T) {
	tests := []struct {
		name                       string
		flags                      []string
		sessionEnded, browserEnded bool
		tokenEnded                 bool
		message                    string
	}{
		{name: "default", sessionEnded: true, browserEnded: true,
			message: "ended 1 login session and 1 browser session; personal tokens kept (--revoke-tokens revokes them)"},
		{name: "revoke tokens", flags: []string{"--revoke-tokens"}, sessionEnded: true, browserEnded: true, tokenEnded: true,
			message: "ended 1 login session, 1 browser session and 1 personal token"},
		{name: "keep sessions", flags: []string{"--keep-sessions"},
			message: "sessions and personal tokens kept (--keep-sessions)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHub(t)
			h.mustRun("old\n", "admin", "user", "add", "ada", "--password-stdin")
			s := h.store()
			u, err := s.GetUserByUsername(t.Context(), "ada")
			if err != nil {
				t.Fatal(err)
			}
			signedIn(t, s, u.ID)
			r := h.run("new\n", append([]string{"admin", "user", "set-password", "ada", "--password-stdin"}, tt.flags...)...)
			if want := "Set the password of user \"ada\"; " + tt.message + ".\n"; r.code != ExitOK || r.stderr != want {
				t.Errorf("set-password: exit %d, stderr %q; want 0, %q", r.code, r.stderr, want)
			}
			sess, err := s.GetSession(t.Context(), "s-1")
			if got := err == nil && !sess.RevokedAt.IsZero(); got != tt.sessionEnded {
				t.Errorf("login session ended = %t (%v), want %t", got, err, tt.sessionEnded)
			}
			_, err = s.GetBrowserSessionByToken(t.Context(), "cookie-1", testNow)
			if got := errors.Is(err, storage.ErrNotFound); got != tt.browserEnded {
				t.Errorf("browser session ended = %t (%v), want %t", got, err, tt.browserEnded)
			}
			_, err = s.GetPersonalTokenByHash(t.Context(), "pat-1", testNow)
			if got := errors.Is(err, storage.ErrNotFound); got != tt.tokenEnded {
				t.Errorf("personal token revoked = %t (%v), want %t", got, err, tt.tokenEnded)
			}
			if e := lastAudit(t, s); e.UserID != u.ID || e.Detail != "set password of user ada; "+tt.message {
				t.Errorf("audit event = %+v, want ada's with detail %q", e, tt.message)
			}
		})
	}
}

func TestUserSetPasswordFlagsConflict(t *testing.T) {
	h := newTestHub(t)
	r := h.run("new\n", "admin", "user", "set-password", "ada", "--password-stdin", "--keep-sessions", "--revoke-tokens")
	wantFailure(t, r, ExitUsage, "do not go together")
}

// TestSetPasswordSignsTheUserOut: after set-password, the session the
// user logged in with before is over (at the hub within
// bearer.VerifiedTTL): its access token and refresh token
// are refused, and the CLI says to log in again.
func TestSetPasswordSignsTheUserOut(t *testing.T) {
	h := newUserHub(t)
	h.login()
	h.mustRun("", "whoami")
	h.mustRun("new password\n", "admin", "--db", h.DB, "user", "set-password", demoUser, "--password-stdin")
	// `hubauth admin` is another process: the hub sees its change within
	// the verified-token cache's bound (README, Security model).
	h.Clock.Advance(bearer.VerifiedTTL)
	r := h.run("", "whoami")
	wantFailure(t, r, ExitAuthNeeded, "run hubauth login")
	if strings.Contains(r.stdout, demoUser) {
		t.Errorf("whoami after the password change printed %q", r.stdout)
	}
}
