package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestDashboardInChromium drives the hub's API dashboard in headless
// Chromium over the hub's own OpenAPI document: Authorize with the
// password flow (NOMAD's /api/v1/auth/token, client hubauth-docs), "Try it
// out" on GET /api/v1/users/me shows the user; after Logout the same call
// is refused; Authorize again with the authorization code flow and PKCE
// (the hub's login page in a window that hands the code back through
// oauth2-redirect.html) and the call shows the user again, and
// GET /api/v1/auth/pats answers too. The page logs no error (no CSP
// violation, no failed request). Screenshots at phone and desktop width.
func TestDashboardInChromium(t *testing.T) {
	browser := hubtest.Chromium(t, 40*time.Second)
	tokens := &tokenRequests{}
	h := &hub{hubtest.New(t, hubtest.WithHandler(tokens.wrap), hubtest.WithUser(demoUser, demoPassword))}
	logged := hubtest.Console(browser)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(browser, actions...); err != nil {
			hubtest.Screenshot(t, browser, "dashboard-failed.png", 1280, 900)
			t.Fatalf("%s: %v; the page logged:\n%s", step, err, strings.Join(logged(), "\n"))
		}
	}
	do("open NOMAD's path", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(h.URL+"/api/v1/extensions/docs/"),
		chromedp.WaitVisible(chromedp.ID(`operations-users-getMe`)))
	hubtest.Screenshot(t, browser, "dashboard-desktop.png", 1280, 900)

	do("password flow", chromedp.Click(chromedp.CSS(`button.authorize`)),
		chromedp.WaitVisible(chromedp.ID(`oauth_username`)))
	if got, _ := chromedp.Run(browser, chromedp.Value(chromedp.ID(`client_id_password`))); got != storage.DocsClientID {
		t.Errorf("the password flow's client_id = %q, want %s", got, storage.DocsClientID)
	}
	do("sign in with the password flow", chromedp.SendKeys(chromedp.ID(`oauth_username`), demoUser),
		chromedp.SendKeys(chromedp.ID(`oauth_password`), demoPassword),
		chromedp.Click(chromedp.Search(authorizeIn("password"))),
		chromedp.WaitVisible(chromedp.Search(logoutIn("password"))),
		chromedp.Click(chromedp.CSS(`button.btn-done`)))
	me := tryIt(t, browser, do, "users-getMe")
	if !strings.Contains(me, "200") || !strings.Contains(me, `"username": "`+demoUser+`"`) {
		t.Fatalf("GET /api/v1/users/me after the password flow:\n%s", me)
	}

	do("log out", chromedp.Click(chromedp.CSS(`button.authorize`)),
		chromedp.Click(chromedp.Search(logoutIn("password"))),
		chromedp.WaitVisible(chromedp.Search(authorizeIn("authorizationCode"))))
	do("refused without a token", chromedp.Click(chromedp.CSS(`button.btn-done`)),
		chromedp.Click(chromedp.CSS(`#operations-users-getMe button.execute`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="operations-users-getMe"]//*[contains(@class,"live-responses-table")]//td[contains(@class,"response-col_status") and contains(., "401")]`)))

	do("phone width", chromedp.EmulateViewport(390, 844), chromedp.Click(chromedp.CSS(`button.authorize`)),
		chromedp.WaitVisible(chromedp.Search(authorizeIn("authorizationCode"))))
	do("scroll to the code flow", chromedp.ScrollIntoView(chromedp.Search(authorizeIn("authorizationCode"))))
	hubtest.Screenshot(t, browser, "dashboard-phone-authorize.png", 390, -844)
	login := hubtest.Popup(t, browser, h.URL+"/", chromedp.Click(chromedp.Search(authorizeIn("authorizationCode"))))
	if err := chromedp.Do(login, chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), demoUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), demoPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`))); err != nil {
		t.Fatalf("sign in in the login window: %v", err)
	}
	do("authorized with PKCE", chromedp.WaitVisible(chromedp.Search(logoutIn("authorizationCode"))),
		chromedp.Click(chromedp.CSS(`button.btn-done`)),
		chromedp.Click(chromedp.CSS(`#operations-users-getMe button.execute`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="operations-users-getMe"]//*[contains(@class,"live-responses-table")]//pre[contains(., '"username": "`+demoUser+`"')]`)))
	do("scroll to the answer", chromedp.ScrollIntoView(chromedp.CSS(`#operations-users-getMe .live-responses-table`)))
	hubtest.Screenshot(t, browser, "dashboard-phone-me.png", 390, -844)
	want := []string{"authorization_code client=hubauth-docs verifier=true"}
	if d := cmp.Diff(want, tokens.list()); d != "" {
		t.Errorf("requests to the token endpoint (-want +got):\n%s", d)
	}
	do("desktop width", chromedp.EmulateViewport(1280, 900))
	pats := tryIt(t, browser, do, "pats-listPATs")
	if !strings.Contains(pats, "200") || !strings.Contains(pats, `"pagination"`) {
		t.Errorf("GET /api/v1/auth/pats with the dashboard's token:\n%s", pats)
	}
	do("scroll to the PATs", chromedp.ScrollIntoView(chromedp.CSS(`#operations-pats-listPATs .live-responses-table`)))
	hubtest.Screenshot(t, browser, "dashboard-desktop-pats.png", 1280, -900)
	for _, m := range logged() {
		if !strings.Contains(m, "status of 401 (Unauthorized) ("+h.URL+"/api/v1/users/me)") { // the call without a token, above
			t.Errorf("the page logged: %s", m)
		}
	}
}

// tokenRequests records what reaches the hub's token endpoint: grant
// type, client and whether a PKCE code_verifier came along.
type tokenRequests struct {
	mu   sync.Mutex
	seen []string
}

func (tr *tokenRequests) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/oauth/token" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			tr.mu.Lock()
			tr.seen = append(tr.seen, fmt.Sprintf("%s client=%s verifier=%t", form.Get("grant_type"), form.Get("client_id"), form.Get("code_verifier") != ""))
			tr.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (tr *tokenRequests) list() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.seen)
}

// authorizeIn and logoutIn are the buttons of an OAuth 2.0 flow (as Swagger
// UI names it: password, authorizationCode) in the Authorize dialog.
func authorizeIn(flow string) string {
	return flowBlock(flow) + `//button[contains(@class,"authorize")]`
}
func logoutIn(flow string) string { return flowBlock(flow) + `//button[contains(., "Logout")]` }

func flowBlock(flow string) string {
	return `//div[contains(@class,"auth-container")][.//h4[contains(., "` + flow + `")]]`
}

// tryIt opens the operation (tag-operationId), presses "Try it out" and
// Execute, and returns the text of the live response.
func tryIt(t *testing.T, browser context.Context, do func(string, ...chromedp.Action[chromedp.Void]), operation string) string {
	t.Helper()
	op := `#operations-` + operation
	do("try "+operation, chromedp.Click(chromedp.CSS(op+` .opblock-summary-control`)),
		chromedp.WaitVisible(chromedp.CSS(op+` button.try-out__btn`)),
		chromedp.Click(chromedp.CSS(op+` button.try-out__btn`)),
		chromedp.WaitVisible(chromedp.CSS(op+` button.execute`)),
		chromedp.Click(chromedp.CSS(op+` button.execute`)),
		chromedp.WaitVisible(chromedp.CSS(op+` .live-responses-table .response-col_status`)))
	text, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(op+` .live-responses-table`)))
	if err != nil {
		t.Fatalf("read the response of %s: %v", operation, err)
	}
	return text
}
