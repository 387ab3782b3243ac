package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotDir is $HUBAUTH_SCREENSHOTS, or a temporary directory.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("HUBAUTH_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shoot sets the viewport and saves a full-page PNG of what is shown.
func shoot(t *testing.T, ctx context.Context, dir, name string, width, height int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("viewport for %s: %v", name, err)
	}
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// TestAccountPageInChromium drives /account in a real headless Chromium
// without JavaScript on the page: sign in, create a token and see its
// secret once, revoke it, revoke a login; screenshots at a phone and a
// desktop width.
func TestAccountPageInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newHub(t)
	if err := h.Store.CreateScope(context.Background(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	dir := screenshotDir(t)
	for _, name := range []string{"lab-laptop", "hpc-login-node"} {
		h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}, "token_name": {name}})
	}
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("sign in", chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(h.URL+"/account"),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), demoUser),
		chromedp.SendKeys(css(`input[name="password"]`), demoPassword),
		chromedp.Submit(css(`input[name="password"]`)),
		chromedp.WaitVisible(css(`#new-token`)))

	secret := createInChromium(t, ctx, run, h.URL, "analysis-notebook", "604800", "groups", "users:read")
	if status, _, _ := h.getJSON(t, "/api/v1/users/me", secret); status != http.StatusOK {
		t.Fatalf("the token shown by the page: GET /api/v1/users/me = %d", status)
	}
	shoot(t, ctx, dir, "account-desktop-created.png", 1280, 800)
	run("phone width", chromedp.EmulateViewport(390, 844))
	createInChromium(t, ctx, run, h.URL, "ci-pipeline", "2592000", "groups:read", "uploads:write")
	if got := tokenScopes(t, h, "ci-pipeline"); got != "[groups:read uploads:write]" {
		t.Errorf("the token created with the platform scope has the scopes %s", got)
	}
	shoot(t, ctx, dir, "account-phone-created.png", 390, 844)

	run("revoke the token", chromedp.Click(css(`button[aria-label="Revoke token analysis-notebook"]`)),
		chromedp.WaitVisible(notice("token is revoked")))
	if status, _, _ := h.getJSON(t, "/api/v1/users/me", secret); status != http.StatusUnauthorized {
		t.Fatalf("after Revoke in the browser: the token still answers %d", status)
	}
	run("revoke a login", chromedp.Click(css(`button[aria-label^="Revoke login hubauth CLI hpc-login-node"]`)),
		chromedp.WaitVisible(notice("login is revoked")))
	body := get(t, ctx, "read the page", chromedp.Text(css(`main`)))
	if !strings.Contains(body, "login is revoked") || strings.Contains(body, "hpc-login-node") || !strings.Contains(body, "lab-laptop") {
		t.Fatalf("after revoking a login the page shows:\n%s", body)
	}
	if strings.Contains(body, secret) || strings.Contains(body, "analysis-notebook") {
		t.Fatal("the revoked token or its secret is still shown")
	}
	shoot(t, ctx, dir, "account-phone.png", 390, 844)
	run("desktop again", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(h.URL+"/account"), chromedp.WaitVisible(css(`#sessions`)))
	shoot(t, ctx, dir, "account-desktop.png", 1280, 800)
}

// css is a CSS selector for the first matching element.
func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// notice selects the page's notice once it says text: the page before a
// form's POST may show another notice.
func notice(text string) string {
	return `//p[@class="notice" and contains(., "` + text + `")]`
}

// get runs an action that reads a value from the page.
func get[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// createInChromium fills and submits the new-token form and returns the
// secret the page shows.
func createInChromium(t *testing.T, ctx context.Context, run func(string, ...chromedp.Action[chromedp.Void]), hubURL, name, expiresIn string, scopes ...string) string {
	t.Helper()
	actions := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(hubURL + "/account"),
		chromedp.WaitVisible(css(`#new-token`)),
		chromedp.SendKeys(css(`#new-token input[name="name"]`), name),
		chromedp.SetValue(css(`#new-token select[name="expires_in"]`), expiresIn),
	}
	for _, s := range scopes {
		actions = append(actions, chromedp.Click(css(`input[name="scope_`+s+`"]`)))
	}
	actions = append(actions, chromedp.Click(css(`#new-token button[type="submit"]`)),
		chromedp.WaitVisible(css(`#new-token-secret`)))
	run("create token "+name, actions...)
	secret := get(t, ctx, "read the secret", chromedp.Text(css(`#new-token-secret`)))
	text := get(t, ctx, "read the note", chromedp.Text(css(`#new-token .secret`)))
	if !strings.HasPrefix(secret, "hubauth_pat_") || !strings.Contains(text, "shown only this once") {
		t.Fatalf("create %s: secret %q, note %q", name, secret, text)
	}
	return secret
}

// tokenScopes returns the stored scopes of demoUser's personal token name.
func tokenScopes(t *testing.T, h *hub, name string) string {
	t.Helper()
	ada, _ := h.Store.GetUserByUsername(context.Background(), demoUser)
	ts, err := h.Store.ListPersonalTokens(context.Background(), ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range ts {
		if tok.Name == name {
			return fmt.Sprint(tok.Scopes)
		}
	}
	return "(no such token)"
}
