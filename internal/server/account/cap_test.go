package account

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// A user has at most MaxActiveTokens active personal tokens: one more is
// ErrTooManyTokens until one is revoked or expires.
func TestIssueCapsActiveTokens(t *testing.T) {
	ctx := context.Background()
	iss, _, _ := newIssuer(t, TokenPolicy{})
	var first, short Issued
	for i := range MaxActiveTokens {
		ttl := int64(3600)
		if i == 1 {
			ttl = 60
		}
		tok, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "t" + strconv.Itoa(i), ExpiresIn: ttl})
		if err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		switch i {
		case 0:
			first = tok
		case 1:
			short = tok
		}
	}
	_, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "one more", ExpiresIn: 3600})
	if !errors.Is(err, ErrTooManyTokens) {
		t.Fatalf("token %d: %v, want ErrTooManyTokens", MaxActiveTokens+1, err)
	}
	if _, err := iss.Revoke(ctx, Action{UserID: "u1"}, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "after a revocation", ExpiresIn: 3600}); err != nil {
		t.Errorf("after a revocation: %v, want room for one", err)
	}
	iss.Now = func() time.Time { return issueNow.Add(time.Minute) } // short has expired
	if _, err := iss.Issue(ctx, TokenRequest{UserID: "u1", Name: "after an expiry", ExpiresIn: 3600}); err != nil {
		t.Errorf("after %s expired: %v, want room for one", short.Name, err)
	}
	if _, err := iss.Issue(ctx, TokenRequest{UserID: "u2", Name: "another user", ExpiresIn: 3600}); errors.Is(err, ErrTooManyTokens) {
		t.Errorf("another user: %v, want the cap to be per user", err)
	}
}
