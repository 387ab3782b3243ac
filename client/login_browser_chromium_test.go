package client_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/client"
)

// chromiumPath is where Debian's chromium package (installed by .ci/run)
// puts the browser.
const chromiumPath = "/usr/bin/chromium"

// newChromium starts a headless Chromium with a fresh profile and returns
// a context to drive it.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no %s (install Debian's chromium package): skipping the real-browser login", chromiumPath)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser, which lives as long as ctx: no
	// timeout on it; the steps below get their own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// TestBrowserLoginInChromium logs in through the hub's HTML login page in
// a real headless Chromium: the SDK's loopback listener receives the code
// from the browser's redirect.
func TestBrowserLoginInChromium(t *testing.T) {
	browser := newChromium(t)
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
