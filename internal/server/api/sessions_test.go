package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestListSessions(t *testing.T) {
	f := newFixture(t)
	a := f.do(t, "GET", "/api/v1/sessions", f.accessToken(t, "u-ada", "cli", "openid", "s-ada"), "")
	if a.Status != http.StatusOK {
		t.Fatalf("list = %d %v", a.Status, a.Body)
	}
	items := a.data(t)
	if len(items) != 1 {
		t.Fatalf("sessions = %v, want ada's one", items)
	}
	want := map[string]any{"id": "s-ada", "client_id": "cli", "client_name": "hubauth CLI", "method": "password",
		"name": "laptop", "address": "192.0.2.1", "current": true}
	got := map[string]any{}
	for k := range want {
		got[k] = items[0][k]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}

	app := f.accessToken(t, "u-ada", "app", "tokens:read", "")
	if items := f.do(t, "GET", "/api/v1/sessions", app, "").data(t); len(items) != 1 || items[0]["current"] != false {
		t.Errorf("sessions seen with another client's token = %v, want s-ada, not current", items)
	}
}

func TestRevokeSession(t *testing.T) {
	f := newFixture(t)
	token := f.accessToken(t, "u-ada", "app", "tokens:write tokens:read", "")
	for _, tc := range []struct {
		name, id string
		status   int
	}{
		{"someone else's", "s-bob", http.StatusNotFound},
		{"unknown", "s-none", http.StatusNotFound},
		{"own", "s-ada", http.StatusNoContent},
		{"own, again", "s-ada", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "DELETE", "/api/v1/sessions/"+tc.id, token, "")
			if a.Status != tc.status {
				t.Errorf("revoke %s = %d %v, want %d", tc.id, a.Status, a.Body, tc.status)
			}
		})
	}
	bob, err := f.store.GetSession(t.Context(), "s-bob")
	must(t, err)
	if !bob.RevokedAt.IsZero() {
		t.Error("bob's session was revoked by ada")
	}
	if items := f.do(t, "GET", "/api/v1/sessions", token, "").data(t); len(items) != 0 {
		t.Errorf("ada's sessions after revoking = %v, want none", items)
	}
	events, err := f.store.ListAudit(t.Context(), 10)
	must(t, err)
	if len(events) != 1 || events[0].Type != "revoke" || events[0].ClientID != "cli" || events[0].Detail != "session s-ada" {
		t.Errorf("audit = %+v, want one revoke of s-ada", events)
	}
}
