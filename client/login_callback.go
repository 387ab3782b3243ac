package client

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
)

// AuthorizationError is an error the provider sent to the redirect URI
// instead of a code (RFC 6749 §4.1.2.1). It matches ErrAccessDenied when
// the user refused.
type AuthorizationError struct {
	Code        string // error, e.g. access_denied, login_required
	Description string // error_description, if any
}

// Error returns the provider's code and description.
func (e *AuthorizationError) Error() string {
	msg := "client: the login failed: " + printable(e.Code)
	if e.Description != "" {
		msg += ": " + printable(e.Description)
	}
	return msg
}

// Unwrap returns ErrAccessDenied for access_denied.
func (e *AuthorizationError) Unwrap() error {
	if e.Code == "access_denied" {
		return ErrAccessDenied
	}
	return nil
}

// callback receives the provider's redirect on the loopback listener.
type callback struct {
	state   string
	result  chan callbackResult // the first answer with the right state
	outcome chan error          // LoginBrowser's verdict on that answer's code
	once    sync.Once
}

type callbackResult struct {
	code string
	err  error
}

func newCallback(state string) *callback {
	return &callback{state: state, result: make(chan callbackResult, 1), outcome: make(chan error, 1)}
}

// ServeHTTP answers GET /callback: the first answer with the expected
// state ends the wait; the tab shows the login's outcome.
func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/callback" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(cb.state)) != 1 {
		writePage(w, http.StatusBadRequest, "Login failed", "This answer does not belong to the login in progress. Start the login again.")
		return
	}
	res := callbackResult{code: q.Get("code")}
	switch {
	case q.Get("error") != "":
		res.err = &AuthorizationError{Code: q.Get("error"), Description: q.Get("error_description")}
	case res.code == "":
		res.err = errors.New("client: the provider answered without a code")
	}
	first := false
	cb.once.Do(func() { first = true })
	if !first {
		writePage(w, http.StatusConflict, "Login already answered", "This login has already been answered. You can close this tab.")
		return
	}
	cb.result <- res
	if res.err == nil {
		res.err = cb.verdict(r.Context())
	}
	cb.page(w, res.err)
}

// verdict waits for LoginBrowser to redeem the code.
func (cb *callback) verdict(ctx context.Context) error {
	select {
	case err := <-cb.outcome:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		return errors.New("client: no verdict on the code")
	}
}

// page shows the outcome in the browser tab.
func (cb *callback) page(w http.ResponseWriter, err error) {
	switch {
	case err == nil:
		writePage(w, http.StatusOK, "Logged in", "You are logged in. You can close this tab and return to your terminal.")
	case errors.Is(err, ErrAccessDenied):
		writePage(w, http.StatusOK, "Login refused", "You refused the login. You can close this tab.")
	default:
		writePage(w, http.StatusOK, "Login failed", trimPrefix(err.Error())+". You can close this tab and try again.")
	}
}

// wait returns the code of the first answer with the right state. It
// ends early when ctx ends, after timeout, or with the error openFailed
// makes of the opener's failure (nil: wait on).
func (cb *callback) wait(ctx context.Context, timeout time.Duration, opener <-chan error, openFailed func(error) error) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case res := <-cb.result:
			return res.code, res.err
		case <-ctx.Done():
			return "", ctx.Err()
		case err := <-opener:
			opener = nil // it fails once
			if err := openFailed(err); err != nil {
				return "", err
			}
		case <-t.C:
			return "", fmt.Errorf("client: no answer from the browser within %v: %w", timeout, context.DeadlineExceeded)
		}
	}
}

// writePage writes a small self-contained HTML page; text is escaped.
func writePage(w http.ResponseWriter, status int, title, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%[1]s</title>
<style>body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}</style></head>
<body><h1>%[1]s</h1><p id="hubauth-result">%[2]s</p></body></html>
`, html.EscapeString(title), html.EscapeString(text))
}

// printable drops control characters from text a server chose, so that
// it cannot drive the terminal it is printed on.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
