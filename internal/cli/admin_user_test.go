package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/storage"
)

// checkPassword fails the test unless pw matches the user's stored hash.
func checkPassword(t *testing.T, s storage.Storage, username, pw string) {
	t.Helper()
	u, err := s.GetUserByUsername(t.Context(), username)
	if err != nil {
		t.Fatalf("GetUserByUsername(%q): %v", username, err)
	}
	h := password.NewHasher(password.DefaultParams, 1, 0)
	defer h.Close()
	if ok, err := h.Verify(t.Context(), u.PasswordHash, pw); err != nil || !ok {
		t.Errorf("Verify(%q's hash, %q) = %t, %v; want true", username, pw, ok, err)
	}
}

func TestUserAdd(t *testing.T) {
	h := newTestHub(t)
	out := h.mustRun("correct horse\n", "admin", "user", "add", "ada", "--email", "ada@example.org",
		"--name", "Ada Lovelace", "--admin", "--password-stdin")
	s := h.store()
	got, err := s.GetUserByUsername(t.Context(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	want := storage.User{ID: strings.TrimSpace(out), Username: "ada", Name: "Ada Lovelace",
		Email: "ada@example.org", EmailVerified: true, Admin: true, CreatedAt: testNow} // set by an administrator: verified
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(storage.User{}, "PasswordHash")); diff != "" {
		t.Errorf("stored user mismatch (-want +got):\n%s", diff)
	}
	checkPassword(t, s, "ada", "correct horse")
	e := lastAudit(t, s)
	if e.Type != "admin" || e.UserID != got.ID || e.Detail != "add user ada (admin)" {
		t.Errorf("audit event = %+v, want admin event adding ada", e)
	}
	if strings.Contains(e.Detail, "horse") {
		t.Errorf("audit detail %q holds the password", e.Detail)
	}
}

func TestUserAddBadInput(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"duplicate", "pw\n", []string{"ada"}, ExitError, `user "ada" already exists`},
		{"empty password", "\n", []string{"bob"}, ExitError, "empty password"},
		{"no input", "", []string{"bob"}, ExitError, "empty password"},
		{"bad username", "pw\n", []string{"bob smith"}, ExitError, `invalid username "bob smith": use 1 to 64 characters from A-Z, a-z, 0-9 and . _ @ -`},
		{"long username", "pw\n", []string{strings.Repeat("b", 65)}, ExitError, "invalid username"},
		{"bad email", "pw\n", []string{"bob", "--email", "bob at example"}, ExitError, `invalid e-mail address "bob at example"`},
		{"no password-stdin", "pw\n", []string{"bob", "--password-stdin=false"}, ExitUsage, "pass --password-stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"admin", "user", "add"}, tt.args...)
			if tt.code != ExitUsage {
				args = append(args, "--password-stdin")
			}
			wantFailure(t, h.run(tt.stdin, args...), tt.code, tt.msg)
		})
	}
	users, err := h.store().ListUsers(t.Context())
	if err != nil || len(users) != 1 {
		t.Errorf("ListUsers = %d users, %v; want only ada", len(users), err)
	}
}

func TestUserListNeverShowsHash(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw-ada\n", "admin", "user", "add", "ada", "--email", "ada@example.org", "--password-stdin")
	h.mustRun("pw-bob\n", "admin", "user", "add", "bob", "--password-stdin")
	h.mustRun("", "admin", "user", "disable", "bob")
	s := h.store()
	ada, err := s.GetUserByUsername(t.Context(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.GetUserByUsername(t.Context(), "bob")
	if err != nil {
		t.Fatal(err)
	}

	out := h.mustRun("", "admin", "user", "list", "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("user list --json: %v\n%s", err, out)
	}
	want := []map[string]any{
		{"id": ada.ID, "username": "ada", "name": "", "email": "ada@example.org", "admin": false, "disabled": false, "created_at": "2026-03-14T15:09:26Z", "factors": []any{}, "recovery_codes": float64(0)},
		{"id": bob.ID, "username": "bob", "name": "", "email": "", "admin": false, "disabled": true, "created_at": "2026-03-14T15:09:26Z", "factors": []any{}, "recovery_codes": float64(0)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user list --json mismatch (-want +got):\n%s", diff)
	}

	table := h.mustRun("", "admin", "user", "list")
	for _, out := range []string{out, table} {
		if strings.Contains(out, ada.PasswordHash) || strings.Contains(out, "argon2") {
			t.Errorf("user list shows a password hash:\n%s", out)
		}
	}
	if !strings.Contains(table, "USERNAME") || !strings.Contains(table, ada.ID) {
		t.Errorf("user list table = %q, want a header and ada's id", table)
	}
}

func TestUserDisableEnable(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	s := h.store()
	for _, step := range []struct {
		cmd      string
		disabled bool
	}{{"disable", true}, {"enable", false}} {
		h.mustRun("", "admin", "user", step.cmd, "ada")
		u, err := s.GetUserByUsername(t.Context(), "ada")
		if err != nil || u.Disabled != step.disabled {
			t.Errorf("after user %s: Disabled = %t, %v; want %t", step.cmd, u.Disabled, err, step.disabled)
		}
		if e := lastAudit(t, s); e.Detail != step.cmd+" user ada" || e.UserID != u.ID {
			t.Errorf("audit event = %+v, want %q", e, step.cmd+" user ada")
		}
	}
	wantFailure(t, h.run("", "admin", "user", "disable", "bob"), ExitError, `no user "bob"`)
}

func TestUserSetPassword(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("old\n", "admin", "user", "add", "ada", "--password-stdin")
	h.mustRun("new password\r\n", "admin", "user", "set-password", "ada", "--password-stdin")
	s := h.store()
	checkPassword(t, s, "ada", "new password")
	if e := lastAudit(t, s); !strings.HasPrefix(e.Detail, "set password of user ada; ended ") {
		t.Errorf("audit detail = %q", e.Detail)
	}

	wantFailure(t, h.run("x\n", "admin", "user", "set-password", "ada"), ExitUsage, "pass --password-stdin")
	wantFailure(t, h.run("\n", "admin", "user", "set-password", "ada", "--password-stdin"), ExitError, "empty password")
	wantFailure(t, h.run("x\n", "admin", "user", "set-password", "bob", "--password-stdin"), ExitError, `no user "bob"`)
	checkPassword(t, s, "ada", "new password")
}
