package cli

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestLoginBrowser(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	done := make(chan error, 1)
	open := func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil || u.Query().Get("token_name") != "laptop" || !strings.HasPrefix(authURL, h.URL+"/authorize?") {
			t.Errorf("authorization URL %s", authURL)
		}
		go func() { // a real opener returns at once
			b := h.newBrowser()
			page, err := b.get(authURL)
			if err == nil {
				page, err = b.login(page)
			}
			if err == nil && !strings.Contains(page, "You can close this tab") {
				err = errors.New("last page: " + page)
			}
			done <- err
		}()
		return nil
	}
	r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--token-name", "laptop"},
		env: map[string]string{"DISPLAY": ":0"}, f: func(f *Factory) { f.OpenBrowser = open }})
	if r.code != ExitOK {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if err := <-done; err != nil {
		t.Fatalf("browser: %v", err)
	}
	for _, want := range []string{"Opening the login page in your browser", h.URL + "/authorize?", "Logged in to " + h.URL + " as ada (browser)\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr = %q, want %q", r.stderr, want)
		}
	}
	if strings.Contains(r.stderr, "device") {
		t.Errorf("stderr = %q: a browser login fell back to the device flow", r.stderr)
	}
}

func TestNoBrowserReason(t *testing.T) {
	tests := []struct {
		name      string
		goos      string
		env       map[string]string
		noBrowser bool
		want      string
	}{
		{"linux with X", "linux", map[string]string{"DISPLAY": ":0"}, false, ""},
		{"linux with Wayland", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, false, ""},
		{"linux without display", "linux", nil, false, "no display: DISPLAY and WAYLAND_DISPLAY are unset"},
		{"macOS", "darwin", nil, false, ""},
		{"windows", "windows", nil, false, ""},
		{"ssh", "darwin", map[string]string{"SSH_CONNECTION": "10.0.0.1 50000 10.0.0.2 22"}, false, "SSH session"},
		{"--no-browser", "linux", map[string]string{"DISPLAY": ":0"}, true, "--no-browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &LoginOptions{GOOS: tt.goos, NoBrowser: tt.noBrowser}
			o.Getenv = func(k string) string { return tt.env[k] }
			if got := o.noBrowserReason(); got != tt.want {
				t.Errorf("noBrowserReason() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoginBrowserCallbackPortTaken(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--callback-port", port}, env: map[string]string{"DISPLAY": ":0"},
		f: func(f *Factory) { f.OpenBrowser = func(string) error { t.Error("browser opened"); return nil } }})
	wantFailure(t, r, ExitError, "login failed: client: cannot listen on callback port "+port)
}
