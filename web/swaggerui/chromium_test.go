package swaggerui_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/web/swaggerui"
)

// TestPageRendersUnderItsPolicy opens a dashboard in headless Chromium,
// expands an operation and opens the Authorize dialog, and fails on any
// warning or error the page or the browser logs: a script or style the
// Content-Security-Policy blocks, a missing file, a script error. The
// screenshot goes to $HUBAUTH_SCREENSHOTS when set.
func TestPageRendersUnderItsPolicy(t *testing.T) {
	doc, err := os.ReadFile("testdata/pets.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := swaggerui.New(swaggerui.Config{Path: "/docs/", Document: doc, ClientID: "pets-docs", Title: "Pets API"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := hubtest.Chromium(t, time.Minute)
	logged := hubtest.Console(ctx)
	err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/docs/"),
		chromedp.WaitVisible(chromedp.CSS(`.opblock-summary-path`)),
		chromedp.Click(chromedp.CSS(`.opblock-summary-control`)),
		chromedp.WaitVisible(chromedp.CSS(`.opblock-body .responses-wrapper`)),
		chromedp.Click(chromedp.CSS(`button.authorize`)),
		chromedp.WaitVisible(chromedp.CSS(`.auth-container input[id^="client_id"]`)))
	if err != nil {
		t.Fatalf("open the dashboard: %v; the page logged:\n%s", err, strings.Join(logged(), "\n"))
	}
	client, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`.auth-container input[id^="client_id"]`)))
	if err != nil || client != "pets-docs" {
		t.Errorf("the Authorize dialog's client_id = %q, %v; want pets-docs (config.json)", client, err)
	}
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || title != "Pets API" {
		t.Errorf("title = %q, %v; want Pets API", title, err)
	}
	if dir := os.Getenv("HUBAUTH_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "swaggerui-authorize.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range logged() {
		t.Errorf("the page logged: %s", m)
	}
}
