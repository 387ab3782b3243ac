package client_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/client"
)

// logInAt logs in as demoUser at authURL with a form-filling client and
// returns the last page.
func logInAt(t *testing.T, h *hub, authURL string) (webPage, error) {
	b := newWebBrowser(t, h)
	p, err := b.get(authURL)
	if err == nil {
		p, err = b.login(p)
	}
	return p, err
}

// A browser command that stays in the foreground until the browser is
// closed (plain xdg-open on a bare window manager) returns only after the
// user is done in it: the callback must be answered meanwhile.
func TestBrowserLoginOpenerStaysInForeground(t *testing.T) {
	h := newHub(t)
	c := newClient(t, h, t.TempDir())
	pages := make(chan webPage, 1)
	foreground := func(authURL string) error {
		p, err := logInAt(t, h, authURL)
		pages <- p
		return err
	}
	if err := c.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: foreground}); err != nil {
		t.Fatalf("LoginBrowser: %v", err)
	}
	if info, _ := c.Session(); info.Method != client.MethodBrowser || info.Username != demoUser {
		t.Fatalf("Session after browser login = %+v", info)
	}
	if p := <-pages; !strings.Contains(p.Body, "You can close this tab") {
		t.Errorf("the browser tab shows:\n%s", p.Body)
	}
}

// An opener that fails is a warning when the URL was shown: the user opens
// it by hand and the login goes on.
func TestBrowserLoginOpenerFailsAfterPrompt(t *testing.T) {
	h := newHub(t)
	var (
		mu       sync.Mutex
		warnings []string
	)
	c := newClient(t, h, t.TempDir(), func(cfg *client.Config) {
		cfg.Warn = func(msg string) { mu.Lock(); warnings = append(warnings, msg); mu.Unlock() }
	})
	failed := make(chan struct{})
	pages := make(chan webPage, 1)
	opts := client.BrowserOptions{
		OpenURL: func(string) error {
			defer close(failed)
			return errors.New("exec: \"xdg-open\": executable file not found in $PATH")
		},
		Prompt: func(authURL string) {
			go func() {
				<-failed // the user reads the warning, then copies the URL
				p, err := logInAt(t, h, authURL)
				if err != nil {
					t.Errorf("browser: %v", err)
				}
				pages <- p
			}()
		},
	}
	if err := c.LoginBrowser(context.Background(), opts); err != nil {
		t.Fatalf("LoginBrowser: %v", err)
	}
	if p := <-pages; !strings.Contains(p.Body, "You can close this tab") {
		t.Errorf("the browser tab shows:\n%s", p.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	want := `the browser could not be opened (exec: "xdg-open": executable file not found in $PATH): open the login URL by hand`
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings = %q, want [%q]", warnings, want)
	}
}
