package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var tokenRotateForm = regexp.MustCompile(`action="/account/tokens/([^"/]+)/rotate#new-token"`)

// TestAccountPageRotate: the token row's Rotate button shows a new secret
// once; the old one stops working at once.
func TestAccountPageRotate(t *testing.T) {
	h := newHub(t)
	b, _ := h.accountBrowser(t)
	p := b.post("/account/tokens", newTokenForm("laptop", "86400", "groups:read"))
	old := patPattern.FindString(p.Body)
	m := tokenRotateForm.FindStringSubmatch(p.Body)
	if old == "" || m == nil {
		t.Fatalf("no secret or no Rotate button:\n%s", p.Body)
	}
	p = b.post("/account/tokens/"+m[1]+"/rotate", nil)
	fresh := patPattern.FindString(p.Body)
	if p.Status != http.StatusOK || fresh == "" || fresh == old || !strings.Contains(p.Body, "the old secret no longer works") {
		t.Fatalf("rotate: %d, secret %q\n%s", p.Status, fresh, p.Body)
	}
	if got := h.meStatus(t, old); got != 401 {
		t.Errorf("the old secret: %d, want 401", got)
	}
	if got := h.meStatus(t, fresh); got != 200 {
		t.Errorf("the new secret: %d, want 200", got)
	}
	if p = b.post("/account/tokens/nope/rotate", nil); p.Status != http.StatusNotFound {
		t.Errorf("rotating an unknown token: %d, want 404", p.Status)
	}
	if p = b.get(h.URL + "/account"); strings.Contains(p.Body, fresh) {
		t.Error("the account page shows the secret again")
	}
}
