package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/names"
)

// Bounds of the refresher's waits.
const (
	refreshFloor = time.Second      // never faster than this
	refreshRetry = 10 * time.Second // after a failed refresh, at most
)

// refresher keeps the bearer file at path holding a token from ts that is
// valid for minValid, until its context ends.
type refresher struct {
	ts       oauth2.TokenSource
	path     string
	uid      int
	minValid time.Duration
	now      func() time.Time
	errOut   io.Writer
}

// run rewrites the file each time ts gives a new token, waking shortly
// before the current one needs replacing. Failures are reported once and
// retried, waiting twice as long each time up to refreshRetry, while the
// command runs: it may finish first, or the hub come back. A session that
// is gone (expired, revoked, logged out) cannot come back: that is said
// once and the refreshes stop.
func (r *refresher) run(ctx context.Context, tok *oauth2.Token) {
	failures := 0
	for !tok.Expiry.IsZero() { // a token that never expires needs no refresh
		wait := r.wait(tok.Expiry)
		if failures > 0 {
			wait = retryWait(failures)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		next, err := r.ts.Token()
		if err == nil && next.AccessToken != tok.AccessToken {
			err = writeBearerFile(r.path, next.AccessToken, r.uid)
		}
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, client.ErrSessionExpired) || errors.Is(err, client.ErrNotLoggedIn) {
			fmt.Fprintf(r.errOut, "hubauth: warning: the bearer token file is no longer refreshed: %s\n", names.Escape(err.Error()))
			return
		}
		if err != nil {
			if failures == 0 {
				fmt.Fprintf(r.errOut, "hubauth: warning: refresh the bearer token file: %s (retrying)\n", names.Escape(err.Error()))
			}
			failures++
			continue
		}
		failures, tok = 0, next
	}
}

// retryWait is the wait after the n-th failed refresh in a row (n ≥ 1):
// refreshFloor, doubled each time, at most refreshRetry.
func retryWait(n int) time.Duration {
	d := refreshFloor
	for i := 1; i < n && d < refreshRetry; i++ {
		d *= 2
	}
	return min(d, refreshRetry)
}

// wait is how long to sleep before asking for a token that expires at
// expiry: until minValid before it, but at least half of its remaining
// life (tokens shorter than minValid) and at least refreshFloor.
func (r *refresher) wait(expiry time.Time) time.Duration {
	left := expiry.Sub(r.now())
	return max(left-r.minValid, left/2, refreshFloor)
}
