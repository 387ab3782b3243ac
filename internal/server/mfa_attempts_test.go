package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestWrongCodesCappedPerSignIn: wrong codes sent at once against one
// sign-in waiting for its second factor are checked at most
// storage.MaxCodeAttempts times; then even the right code is refused and
// the user must sign in with the password again.
func TestWrongCodesCappedPerSignIn(t *testing.T) {
	h := newHub(t)
	key := withTOTP(t, h)
	b := h.newBrowser(t)
	if p := b.signIn(demoUser, demoPassword); !strings.Contains(p.Body, `action="/mfa"`) {
		t.Fatalf("after the password: %d %s\n%s", p.Status, p.URL, p.Body)
	}
	const n = 30
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		checked int
	)
	for range n {
		wg.Go(func() {
			resp, err := b.client.Do(h.FormPost("/mfa", url.Values{"code": {"000000"}}))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if checked > storage.MaxCodeAttempts {
		t.Errorf("%d of %d wrong codes were checked, want at most %d", checked, n, storage.MaxCodeAttempts)
	}
	p := b.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Sign in again") {
		t.Errorf("the right code after %d wrong ones: %d, want the sign-in refused\n%s", n, p.Status, p.Body)
	}
}

// TestWrongSetUpCodesCapped: the first code of an authenticator set-up is
// checked at most storage.MaxCodeAttempts times; then the set-up is gone.
func TestWrongSetUpCodesCapped(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	p := b.post("/account/mfa/totp", url.Values{})
	m := secretRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("set-up page: %d\n%s", p.Status, p.Body)
	}
	checked := 0
	for range 12 {
		if p := b.post("/account/mfa/totp/confirm", url.Values{"code": {"000000"}}); p.Status == http.StatusUnauthorized {
			checked++
		}
	}
	if checked > storage.MaxCodeAttempts {
		t.Errorf("%d wrong set-up codes were checked, want at most %d", checked, storage.MaxCodeAttempts)
	}
	p = b.post("/account/mfa/totp/confirm", url.Values{"code": {totpCode(t, h, m[1])}})
	f, err := h.Store.GetSecondFactors(t.Context(), demoID(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if p.Status == http.StatusOK || f.TOTP {
		t.Errorf("the right code after too many wrong ones: %d, authenticator set up %v\n%s", p.Status, f.TOTP, p.Body)
	}
}
