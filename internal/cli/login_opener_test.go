package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// shownURL is the login URL as login prints it, before opening it.
var shownURL = regexp.MustCompile(`open:\n  (http://\S+/authorize\?\S+)\n`)

// urlWatcher passes standard error through and calls act once, in its
// own goroutine, with the login URL when it is printed.
type urlWatcher struct {
	w    io.Writer
	once sync.Once
	act  func(url string)
}

func (u *urlWatcher) Write(p []byte) (int, error) {
	if m := shownURL.FindSubmatch(p); m != nil {
		u.once.Do(func() { go u.act(string(m[1])) })
	}
	return u.w.Write(p)
}

// loggingIn returns a cmd.errW that logs in at the URL login prints, once
// ready() returns, and sends the outcome to done.
func (h *userHub) loggingIn(ready func() error, done chan<- error) func(io.Writer) io.Writer {
	return func(w io.Writer) io.Writer {
		return &urlWatcher{w: w, act: func(u string) {
			if err := ready(); err != nil {
				done <- err
				return
			}
			b := h.newBrowser()
			page, err := b.get(u)
			if err == nil {
				page, err = b.login(page)
			}
			if err == nil && !strings.Contains(page, "You can close this tab") {
				err = errors.New("last page: " + page)
			}
			done <- err
		}}
	}
}

// A browser command that stays in the foreground until the browser is
// closed (plain xdg-open on a bare window manager) must not hold up the
// login: $BROWSER is such a command here, and the user logs in at the
// printed URL while it still runs.
func TestLoginBrowserOpenerStaysInForeground(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake browser is a shell script")
	}
	t.Parallel()
	h := newUserHub(t)
	script := filepath.Join(t.TempDir(), "browser")
	body := "#!/bin/sh\necho $$ > \"$0.pid\"\nprintf '%s\\n' \"$1\" > \"$0.url\"\nexec sleep 600\n"
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killPidFile(t, script+".pid") })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// The user acts once the browser command runs: it must have been given
	// the URL, and it never returns.
	started := func() error { return waitForFile(ctx, script+".url") }
	done := make(chan error, 1)
	r := h.exec(cmd{args: []string{"login", "--server", h.URL}, ctx: ctx,
		env:  map[string]string{"DISPLAY": ":0", "BROWSER": "/bin/sh " + script}, // sh reads it: no ETXTBSY
		errW: h.loggingIn(started, done)})
	if r.code != ExitOK {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if err := <-done; err != nil {
		t.Fatalf("browser: %v", err)
	}
	m := shownURL.FindStringSubmatch(r.stderr)
	got, _ := os.ReadFile(script + ".url")
	if m == nil || string(got) != m[1]+"\n" {
		t.Errorf("$BROWSER was given %q, want the printed URL; stderr:\n%s", got, r.stderr)
	}
	if !strings.Contains(r.stderr, "Logged in to "+h.URL+" as ada (browser)\n") {
		t.Errorf("stderr = %q, want the login", r.stderr)
	}
}

// A browser command that fails is a warning: the printed URL still works.
func TestLoginBrowserOpenerFails(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	failed := make(chan struct{})
	open := func(string) error {
		defer close(failed)
		return errors.New("xdg-open: not found")
	}
	done := make(chan error, 1)
	ready := func() error { <-failed; return nil }
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	r := h.exec(cmd{args: []string{"login", "--server", h.URL}, ctx: ctx, env: map[string]string{"WAYLAND_DISPLAY": "wayland-0"},
		f: func(f *Factory) { f.OpenBrowser = open }, errW: h.loggingIn(ready, done)})
	if r.code != ExitOK {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if err := <-done; err != nil {
		t.Fatalf("browser: %v", err)
	}
	for _, want := range []string{"hubauth: warning: the browser could not be opened (xdg-open: not found): open the login URL by hand\n",
		"Logged in to " + h.URL + " as ada (browser)\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
	}
	if strings.Contains(r.stderr, "device") {
		t.Errorf("stderr = %q: the login fell back to the device flow", r.stderr)
	}
}

// waitForFile returns once path exists, or when ctx ends.
func waitForFile(ctx context.Context, path string) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the browser command was not run with the URL")
		case <-tick.C:
		}
	}
}

// killPidFile ends the process whose id is in path, if it was started.
func killPidFile(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Errorf("pid file %s: %q", path, b)
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
