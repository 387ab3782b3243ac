package cli

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// osc52 would write "hi" to the clipboard of a terminal that printed it.
const (
	osc52        = "\x1b]52;c;aGk=\x07"
	osc52Escaped = `\x1b]52;c;aGk=\x07`
)

// rawControl reports whether out holds a control character other than the
// newlines that end its lines.
func rawControl(out string) bool {
	return strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && names.Unsafe(r) })
}

// Names stored before names were checked (or sent by other software) are
// printed escaped by every table and line that shows them, and the audit of
// a login attempt with a control-character username too.
func TestStoredNamesPrintEscaped(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	ctx := context.Background()
	u, err := h.Store.GetUserByUsername(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, err := range []error{
		h.Store.CreatePersonalToken(ctx, storage.PersonalToken{ID: secret.ID(), UserID: u.ID, Name: "ci" + osc52 + "\u009b2J",
			Hash: secret.Hash(secret.New()), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}),
		h.Store.UpdateUser(ctx, u.ID, func(u storage.User) (storage.User, error) { u.Name = "Ada" + osc52; return u, nil }),
		h.Store.CreateGroup(ctx, storage.Group{Name: "lab" + osc52, CreatedAt: now}),
		h.Store.AddGroupMember(ctx, "lab"+osc52, u.ID),
		h.Store.AppendAudit(ctx, storage.AuditEvent{Time: now, Type: "admin", Detail: "add group lab" + osc52}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	h.login()
	resp, err := http.PostForm(h.URL+"/api/v1/auth/token", url.Values{"username": {"eve" + osc52}, "password": {"guess"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login attempt as eve+OSC 52: %d, want 401", resp.StatusCode)
	}

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"tokens list", []string{"tokens", "list"}, []string{"ci" + osc52Escaped + `\x9b2J`}},
		{"tokens list --json", []string{"tokens", "list", "--json"}, []string{`"ci\u001b]52;c;aGk=\u0007\u009b2J"`}},
		{"whoami", []string{"whoami"}, []string{"Ada" + osc52Escaped}},
		{"groups list", []string{"groups", "list"}, []string{"lab" + osc52Escaped}},
		{"admin user list", []string{"admin", "user", "list", "--db", h.DB}, []string{"Ada" + osc52Escaped}},
		{"admin group list", []string{"admin", "group", "list", "--db", h.DB}, []string{"lab" + osc52Escaped}},
		{"admin audit", []string{"admin", "audit", "--db", h.DB}, []string{"username eve" + osc52Escaped, "add group lab" + osc52Escaped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := h.mustRun("", tt.args...)
			if rawControl(out) {
				t.Errorf("hubauth %s printed a control character:\n%q", strings.Join(tt.args, " "), out)
			}
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("hubauth %s = %q, want it to show %q", strings.Join(tt.args, " "), out, want)
				}
			}
		})
	}
}

// The admin commands refuse control characters in every name they set.
func TestAdminRefusesControlCharacters(t *testing.T) {
	h := newTestHub(t)
	tests := []struct {
		name  string
		stdin string
		args  []string
		msg   string
	}{
		{"user name", "pw\n", []string{"user", "add", "bob", "--name", "Bob" + osc52, "--password-stdin"}, "--name must not contain control characters"},
		{"username", "pw\n", []string{"user", "add", "bob" + osc52, "--password-stdin"}, `invalid username "bob\x1b]52;c;aGk=\a"`},
		{"group name", "", []string{"group", "add", "lab" + osc52}, "invalid group name"},
		{"client ID", "", []string{"client", "add", "web" + osc52, "--name", "Web"}, "invalid client ID"},
		{"client name", "", []string{"client", "add", "web", "--name", "Web\x9b2J"}, "--name must not contain control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.stdin, append([]string{"admin"}, tt.args...)...)
			wantFailure(t, r, ExitError, tt.msg)
			if rawControl(r.stderr) {
				t.Errorf("the error repeats the control characters: %q", r.stderr)
			}
		})
	}
	s := h.store()
	if users, err := s.ListUsers(t.Context()); err != nil || len(users) != 0 {
		t.Errorf("ListUsers = %v, %v; want none", users, err)
	}
	if clients, err := s.ListClients(t.Context()); err != nil || len(clients) != 0 {
		t.Errorf("ListClients = %v, %v; want none", clients, err)
	}
}
