package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// webBrowser is a cookie-keeping HTTP client that fills the hub's forms
// as a person would (internal/server's device tests do the same).
type webBrowser struct {
	hub    *userHub
	client *http.Client
}

func (h *userHub) newBrowser() *webBrowser {
	jar, _ := cookiejar.New(nil)
	return &webBrowser{hub: h, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *webBrowser) do(req *http.Request) (string, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// post submits a form to the hub as a same-origin page would.
func (b *webBrowser) post(path string, form url.Values) (string, error) {
	return b.do(b.hub.FormPost(path, form))
}

// login fills the login form on page, if it is the login page.
func (b *webBrowser) login(page string) (string, error) {
	if !strings.Contains(page, `action="/login"`) {
		return page, nil
	}
	form := hubtest.Hidden(page)
	form.Set("username", demoUser)
	form.Set("password", demoPassword)
	return b.post("/login", form)
}

// approveDevice enters code on /device, logs in and approves or denies.
func (b *webBrowser) approveDevice(code, decision string) error {
	p, err := b.post("/device", url.Values{"user_code": {code}})
	if err == nil {
		p, err = b.login(p)
	}
	if err != nil {
		return err
	}
	if !strings.Contains(p, `action="/device/approve"`) {
		return errors.New("no approval page: " + p)
	}
	form := hubtest.Hidden(p)
	form.Set("decision", decision)
	_, err = b.post("/device/approve", form)
	return err
}

// codeWatcher passes standard error through and calls act, once, in the
// background, with the device code when the prompt shows it.
type codeWatcher struct {
	w    io.Writer
	act  func(code string)
	once sync.Once
}

var shownCode = regexp.MustCompile(`enter the code: ([A-Z]{4}-[A-Z]{4})`)

func (c *codeWatcher) Write(p []byte) (int, error) {
	if m := shownCode.FindSubmatch(p); m != nil {
		c.once.Do(func() { go c.act(string(m[1])) })
	}
	return c.w.Write(p)
}

// approving returns a cmd.errW that approves (or denies) the device code.
func (h *userHub) approving(t *testing.T, decision string) func(io.Writer) io.Writer {
	return func(w io.Writer) io.Writer {
		return &codeWatcher{w: w, act: func(code string) {
			if err := h.newBrowser().approveDevice(code, decision); err != nil {
				t.Errorf("approve %s: %v", code, err)
			}
		}}
	}
}

func TestLoginDevice(t *testing.T) {
	t.Parallel()
	tty := func(ios *IOStreams) { ios.IsStdoutTTY = true }
	tests := []struct {
		name   string
		c      cmd
		reason string // the line saying why the device flow is used
		qr     bool
	}{
		{"--no-browser", cmd{args: []string{"--no-browser"}}, "No browser can be used (--no-browser): using the device flow instead.", false},
		{"no display", cmd{io: tty}, "No browser can be used (no display: DISPLAY and WAYLAND_DISPLAY are unset): using the device flow instead.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newUserHub(t)
			c := tt.c
			c.args = append([]string{"login", "--server", h.URL, "--token-name", "laptop"}, c.args...)
			c.errW = h.approving(t, "approve")
			r := h.exec(c)
			if r.code != ExitOK {
				t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.reason) || !strings.Contains(r.stderr, "Logged in to "+h.URL+" as ada (device)\n") {
				t.Errorf("stderr = %q, want %q and the login", r.stderr, tt.reason)
			}
			for _, want := range []string{h.URL + "/device\n", "Waiting for approval; the code expires in 10 min."} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr = %q, want %q", r.stderr, want)
				}
			}
			if qr := strings.Contains(r.stderr, "▀"); qr != tt.qr {
				t.Errorf("QR code shown: %t, want %t; stderr:\n%s", qr, tt.qr, r.stderr)
			}
			if s, _ := h.stored(""); s.Method != "device" || s.RefreshToken == "" {
				t.Errorf("stored session = %+v", s)
			}
		})
	}
}

func TestLoginDeviceEnds(t *testing.T) {
	t.Parallel()
	t.Run("denied", func(t *testing.T) {
		t.Parallel()
		h := newUserHub(t)
		r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--no-browser"}, errW: h.approving(t, "deny")})
		wantFailure(t, lastLine(r), ExitError, "access denied: the login was refused")
	})
	t.Run("ctrl-c", func(t *testing.T) {
		t.Parallel()
		h := newUserHub(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		start := time.Now()
		r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--no-browser"}, ctx: ctx,
			errW: func(w io.Writer) io.Writer { return &codeWatcher{w: w, act: func(string) { cancel() }} }})
		wantFailure(t, lastLine(r), ExitError, "login cancelled")
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Ctrl-C took %v to end the login", d)
		}
		if _, ok := h.stored(""); ok {
			t.Error("a cancelled login stored a session")
		}
	})
}

// lastLine keeps only the last line of r's standard error, where the
// error of a command that printed a prompt first is.
func lastLine(r result) result {
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	r.stderr = lines[len(lines)-1] + "\n"
	return r
}

func (b *webBrowser) get(u string) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}
