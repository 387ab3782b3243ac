package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
)

func TestRetryWait(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: refreshRetry, 50: refreshRetry} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			if got := retryWait(n); got != want {
				t.Errorf("retryWait(%d) = %v, want %v", n, got, want)
			}
		})
	}
}

// TestRefresherStopsWhenTheSessionIsGone: after a logout the refresher
// says so once and stops, instead of retrying for as long as the command
// runs.
func TestRefresherStopsWhenTheSessionIsGone(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	later := func() time.Time { return time.Now().Add(time.Hour) } // the session's token has expired
	c, err := client.New(t.Context(), client.Config{Server: h.URL, DataDir: h.DataDir, Now: later})
	if err != nil {
		t.Fatal(err)
	}
	h.mustRun("", "logout")
	var errOut bytes.Buffer
	r := &refresher{ts: c.TokenSource(t.Context()), path: filepath.Join(t.TempDir(), "bt"), minValid: time.Minute, now: later, errOut: &errOut}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	r.run(ctx, &oauth2.Token{AccessToken: "old", Expiry: later().Add(-time.Minute)})
	if ctx.Err() != nil || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "no longer refreshed: client: not logged in") {
		t.Errorf("refresher: still running at the deadline %v, stderr %q; want it stopped with one line", ctx.Err() != nil, errOut.String())
	}
}
