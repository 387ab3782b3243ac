package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestBrowserLoginInChromium logs in through the hub's HTML login page in
// a real headless Chromium: the SDK's loopback listener receives the code
// from the browser's redirect.
func TestBrowserLoginInChromium(t *testing.T) {
	browser := hubtest.Chromium(t, 5*time.Minute)
	h := newHub(t)
	c := newClient(t, h, t.TempDir())
	shown := make(chan string, 1)
	open := func(authURL string) error {
		go func() {
			ctx, cancel := context.WithTimeout(browser, time.Minute)
			defer cancel()
			err := chromedp.Do(ctx,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
				chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), demoUser),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), demoPassword),
				chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
				chromedp.WaitVisible(chromedp.ID("hubauth-result")),
			)
			text := ""
			if err == nil {
				text, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("hubauth-result")))
			}
			if err != nil {
				text = "chromedp: " + err.Error()
			}
			shown <- text
		}()
		return nil
	}
	if err := c.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: open, Timeout: time.Minute}); err != nil {
		t.Fatalf("LoginBrowser in Chromium: %v", err)
	}
	if text := <-shown; !strings.Contains(text, "You can close this tab") {
		t.Fatalf("the browser showed %q, want the SDK's success page", text)
	}
	info, _ := c.Session()
	if info.Method != client.MethodBrowser || info.Username != demoUser {
		t.Fatalf("Session = %+v", info)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request after the Chromium login: %v", err)
	}

	// Single sign-on: the same browser is not asked again.
	again := newClient(t, h, t.TempDir())
	reopen := func(authURL string) error {
		go func() {
			ctx, cancel := context.WithTimeout(browser, time.Minute)
			defer cancel()
			err := chromedp.Do(ctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("hubauth-result")))
			if err != nil {
				shown <- "chromedp: " + err.Error()
			}
			shown <- "done"
		}()
		return nil
	}
	if err := again.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: reopen, Timeout: time.Minute}); err != nil {
		t.Fatalf("second LoginBrowser in the same Chromium: %v", err)
	}
	if text := <-shown; text != "done" {
		t.Fatalf("second visit: %s", text)
	}
}
