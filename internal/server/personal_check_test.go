package server_test

import (
	"net/http"
	"testing"
	"time"
)

// TestPersonalTokenRefusedAtOnce: a personal token this node has just
// verified (and cached) is refused at once after it is revoked or rotated
// on this node, whichever way.
func TestPersonalTokenRefusedAtOnce(t *testing.T) {
	tests := []struct {
		name string
		end  func(t *testing.T, h *hub, access, id, token string) int
		want int
	}{
		{name: "DELETE /api/v1/tokens/{id}", want: http.StatusNoContent, end: func(t *testing.T, h *hub, access, id, _ string) int {
			status, _, _ := h.send(t, "DELETE", "/api/v1/tokens/"+id, access, "")
			return status
		}},
		{name: "POST /api/v1/tokens/{id}/rotate", want: http.StatusOK, end: func(t *testing.T, h *hub, access, id, _ string) int {
			status, _, _ := h.send(t, "POST", "/api/v1/tokens/"+id+"/rotate", access, "")
			return status
		}},
		{name: "DELETE /api/v1/auth/pats/{id}", want: http.StatusNoContent, end: func(t *testing.T, h *hub, access, id, _ string) int {
			status, _, _ := h.send(t, "DELETE", "/api/v1/auth/pats/"+id, access, "")
			return status
		}},
		{name: "POST /api/v1/auth/pats/{id}/rotate", want: http.StatusOK, end: func(t *testing.T, h *hub, access, id, _ string) int {
			status, _, _ := h.send(t, "POST", "/api/v1/auth/pats/"+id+"/rotate", access, "")
			return status
		}},
		{name: "RFC 7009 revocation", want: http.StatusOK, end: func(t *testing.T, h *hub, _, _, token string) int {
			return h.revoke(t, token, "")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(t)
			access := h.passwordToken(t)
			status, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600}`)
			token, _ := created["token"].(string)
			id, _ := created["id"].(string)
			if status != http.StatusCreated || token == "" {
				t.Fatalf("create: %d %v", status, created)
			}
			if got := h.meStatus(t, token); got != http.StatusOK {
				t.Fatalf("/users/me before: %d", got)
			}
			if got := tt.end(t, h, access, id, token); got != tt.want {
				t.Fatalf("%s: %d, want %d", tt.name, got, tt.want)
			}
			if got := h.meStatus(t, token); got != http.StatusUnauthorized {
				t.Errorf("/users/me with the old secret right after: %d, want 401", got)
			}
		})
	}
}

// TestPersonalTokenLastUseAtShutdown: a use held in memory (within a
// minute of the last write) reaches the database when the server closes.
func TestPersonalTokenLastUseAtShutdown(t *testing.T) {
	h := newHub(t)
	token := h.PersonalToken(t, h.passwordToken(t))
	if got := h.meStatus(t, token); got != http.StatusOK { // written at once: the first use
		t.Fatalf("/users/me: %d", got)
	}
	h.Clock.Advance(20 * time.Second)
	before := h.Clock.Now()
	if got := h.meStatus(t, token); got != http.StatusOK { // held in memory
		t.Fatalf("/users/me: %d", got)
	}
	after := h.Clock.Now()
	lastUse := func() time.Time {
		u, err := h.Store.GetUserByUsername(t.Context(), demoUser)
		if err != nil {
			t.Fatal(err)
		}
		list, err := h.Store.ListPersonalTokens(t.Context(), u.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("list = %v, %v", list, err)
		}
		return list[0].LastUsedAt
	}
	if got := lastUse(); !got.Before(before) {
		t.Fatalf("stored last use %v before shutdown: want the first use only (coalesced)", got)
	}
	h.Close()
	h.Server.Close()
	if got := lastUse(); got.Before(before) || got.After(after) {
		t.Errorf("stored last use %v after shutdown, want the second use (%v to %v)", got, before, after)
	}
}
