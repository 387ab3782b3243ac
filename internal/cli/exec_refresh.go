package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"golang.org/x/oauth2"

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
// retried while the last token lasts: the command may finish first.
func (r *refresher) run(ctx context.Context, tok *oauth2.Token) {
	failing := false
	for !tok.Expiry.IsZero() { // a token that never expires needs no refresh
		wait := r.wait(tok.Expiry)
		if failing {
			wait = min(wait, refreshRetry)
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
		if err != nil {
			if !failing {
				fmt.Fprintf(r.errOut, "hubauth: warning: refresh the bearer token file: %s (retrying)\n", names.Escape(err.Error()))
			}
			failing = true
			continue
		}
		failing, tok = false, next
	}
}

// wait is how long to sleep before asking for a token that expires at
// expiry: until minValid before it, but at least half of its remaining
// life (tokens shorter than minValid) and at least refreshFloor.
func (r *refresher) wait(expiry time.Time) time.Duration {
	left := expiry.Sub(r.now())
	return max(left-r.minValid, left/2, refreshFloor)
}
