package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// One address guessing user codes: it guesses as fast as the hub lets it for
// a minute of the hub's clock (waiting exactly the Retry-After it is given),
// then the rest of ten minutes is extrapolated. RFC 8628 §5.1 asks for a
// limit that keeps guessing improbable; the hub allows at most 25.
func TestDeviceCodeGuessing(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	const minute, window = time.Minute, 10 * time.Minute
	var elapsed, lastGuess, gap time.Duration
	guesses := 0
	for elapsed < minute {
		p := b.post("/device", url.Values{"user_code": {"BCDF-GHJK"}})
		switch p.Status {
		case http.StatusBadRequest:
			guesses++
			lastGuess = elapsed
		case http.StatusTooManyRequests:
			secs, err := strconv.Atoi(p.Header.Get("Retry-After"))
			if err != nil || secs < 1 {
				t.Fatalf("429 with Retry-After %q", p.Header.Get("Retry-After"))
			}
			wait := time.Duration(secs) * time.Second
			gap = elapsed + wait - lastGuess
			elapsed += wait
			h.Clock.Advance(wait)
		default:
			t.Fatalf("wrong code: %d, want 400 or 429", p.Status)
		}
	}
	// The wait doubles with each wrong code and never shrinks while they
	// keep failing, so the rest of the window holds at most one guess per
	// gap, the last gap of the minute.
	if gap == 0 {
		t.Fatalf("%d guesses in a minute, never slowed down", guesses)
	}
	extrapolated := guesses + int((window-elapsed)/gap) + 1
	t.Logf("%d wrong codes in the first minute, then one per %v or slower: at most %d in 10 minutes", guesses, gap, extrapolated)
	if extrapolated > 25 {
		t.Errorf("one address may guess %d codes in 10 minutes, want at most 25", extrapolated)
	}
}

// A person who mistypes the code twice is not slowed down.
func TestDeviceCodeTyposAreNotSlowed(t *testing.T) {
	h := newHub(t)
	da := startDevice(t, h.cliConfig())
	b := h.newBrowser(t)
	for _, typed := range []string{"BCDF-GHJK", "BCDF-GHJL", da.UserCode} {
		p := b.post("/device", url.Values{"user_code": {typed}})
		want := http.StatusBadRequest
		if typed == da.UserCode {
			want = http.StatusOK
		}
		if p.Status != want {
			t.Fatalf("code %s: %d, want %d", typed, p.Status, want)
		}
	}
}

// A database outage while a code is entered is the hub's failure, not the
// user's: 503 on the error page, never "not valid", and not counted as a
// wrong code (more entries than the 5 that go unslowed, none slowed down).
func TestDeviceCodeEntryDuringOutage(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	if err := h.Store.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		p := b.post("/device", url.Values{"user_code": {"BCDF-GHJK"}})
		if p.Status != http.StatusServiceUnavailable || strings.Contains(p.Body, "not valid") {
			t.Fatalf("entry %d with the database down: %d\n%.300s\nwant 503, not a wrong code", i+1, p.Status, p.Body)
		}
	}
}
