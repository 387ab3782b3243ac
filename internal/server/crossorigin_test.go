package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// crossOriginPost returns a POST of form to path on the hub as a page of
// another site submits it (Origin and Sec-Fetch-Site cross-site): every
// form of the hub must refuse it with 403.
func (h *hub) crossOriginPost(path string, form url.Values) *http.Request {
	req := h.FormPost(path, form)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	return req
}

// checkCrossOriginRefused sends crossOriginPost of form to path (without
// cookies) and fails t unless the hub answers 403.
func (h *hub) checkCrossOriginRefused(t *testing.T, path string, form url.Values) {
	t.Helper()
	resp, err := http.DefaultClient.Do(h.crossOriginPost(path, form))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST %s: %d, want 403", path, resp.StatusCode)
	}
}
