package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestDashboardInChromium drives the data hub's API dashboard in headless
// Chromium through a real hub: Authorize opens the hub's login in a
// window (authorization code with PKCE, the dashboard's public client,
// the consent page of a third-party client), the window hands the code
// back through oauth2-redirect.html, and "Try it out" lists my uploads,
// creates one and lists it. The page logs no error (no CSP violation,
// no failed request). Screenshots at phone and desktop width.
func TestDashboardInChromium(t *testing.T) {
	browser := hubtest.Chromium(t, 2*time.Minute)
	h := newHub(t) // with uploads:read and uploads:write, which the data hub requires by default
	h.addUser(t, "ada")
	dh := newDatahub(t, h, "--docs-client-id", "datahub-docs")
	h.AddClient(t, storage.Client{ID: "datahub-docs", Name: "Data hub API dashboard", Public: true,
		RedirectURIs: []string{dh.URL + docsPath + "oauth2-redirect.html"}, GrantTypes: []string{storage.GrantAuthorizationCode},
		RestrictScopes: true, AllowedScopes: []string{"openid", "uploads:read", "uploads:write"}})
	logged := hubtest.Console(browser)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(browser, actions...); err != nil {
			t.Fatalf("%s: %v; the page logged:\n%s", step, err, strings.Join(logged(), "\n"))
		}
	}
	do("open the dashboard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(dh.URL+docsPath),
		chromedp.WaitVisible(chromedp.ID(`operations-uploads-listUploads`)))
	hubtest.Screenshot(t, browser, "datahub-dashboard-desktop.png", 1280, 900)

	do("open Authorize", chromedp.Click(chromedp.CSS(`button.authorize`)),
		chromedp.WaitVisible(chromedp.ID(`client_id_authorizationCode`)))
	hubtest.Screenshot(t, browser, "datahub-dashboard-authorize-phone.png", 390, -844)
	do("desktop width", chromedp.EmulateViewport(1280, 900))
	if got, _ := chromedp.Run(browser, chromedp.Value(chromedp.ID(`client_id_authorizationCode`))); got != "datahub-docs" {
		t.Errorf("the dialog's client_id = %q, want datahub-docs", got)
	}
	login := hubtest.Popup(t, browser, h.URL+"/", chromedp.Click(chromedp.Search(authorizeIn("hub"))))
	if err := chromedp.Do(login, chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="approve"]`)),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`))); err != nil {
		hubtest.Screenshot(t, login, "datahub-dashboard-login-failed.png", 600, 800)
		t.Fatalf("sign in and allow in the login window: %v", err)
	}
	do("authorized", chromedp.WaitVisible(chromedp.Search(`//div[contains(@class,"auth-container")][.//h4[contains(., "hub")]]//button[contains(., "Logout")]`)),
		chromedp.Click(chromedp.CSS(`button.btn-done`)))

	listed := tryIt(t, browser, do, "listUploads")
	if !strings.Contains(listed, `"total": 0`) {
		t.Errorf("my uploads before creating one:\n%s", listed)
	}
	do("phone width", chromedp.EmulateViewport(390, 844))
	created := tryIt(t, browser, do, "createUpload")
	if !strings.Contains(created, "201") || !strings.Contains(created, `"upload_name": "my first upload"`) {
		t.Errorf("create an upload:\n%s", created)
	}
	do("scroll to the answer", chromedp.ScrollIntoView(chromedp.CSS(`#operations-uploads-createUpload .live-responses-table`)))
	hubtest.Screenshot(t, browser, "datahub-dashboard-phone-created.png", 390, -844)
	do("desktop width", chromedp.EmulateViewport(1280, 900))
	do("list again", chromedp.Click(chromedp.CSS(`#operations-uploads-listUploads button.execute`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="operations-uploads-listUploads"]//*[contains(@class,"live-responses-table")]//pre[contains(., "my first upload")]`)))
	for _, m := range logged() {
		t.Errorf("the page logged: %s", m)
	}
}

// authorizeIn is the Authorize button of the security scheme named
// scheme in Swagger UI's Authorize dialog.
func authorizeIn(scheme string) string {
	return `//div[contains(@class,"auth-container")][.//h4[contains(., "` + scheme + `")]]//button[contains(@class,"authorize")]`
}

// tryIt opens the operation, presses "Try it out" and Execute, and returns
// the text of the live response (status and body).
func tryIt(t *testing.T, browser context.Context, do func(string, ...chromedp.Action[chromedp.Void]), operation string) string {
	t.Helper()
	op := `#operations-uploads-` + operation
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
