package storagetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// testDeleteFactorUnlessLast: one rule for every factor: the last stays
// when the caller keeps one, and the recovery codes go with the last.
func testDeleteFactorUnlessLast(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s, "h1", "h2")
	createPasskey(t, s, newPasskey("p-1", "u-1", "cred-a"))
	checkErr(t, "DeleteFactorUnlessLast(another user's passkey)",
		s.DeleteFactorUnlessLast(ctx, "u-2", storage.FactorPasskey, "p-1", false), storage.ErrNotFound)
	checkErr(t, "DeleteFactorUnlessLast(no app)",
		s.DeleteFactorUnlessLast(ctx, "u-2", storage.FactorTOTP, "", false), storage.ErrNotFound)
	must(t, "DeleteFactorUnlessLast(the app, a passkey left)", s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorTOTP, "", true))
	f, _ := s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after removing the app (the codes stay)", f, storage.SecondFactors{Passkeys: 1, RecoveryCodes: 2})
	checkErr(t, "DeleteFactorUnlessLast(the last, keep one)",
		s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorPasskey, "p-1", true), storage.ErrLastFactor)
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after a refused removal (nothing removed)", f, storage.SecondFactors{Passkeys: 1, RecoveryCodes: 2})
	// A pending authenticator is no factor: removing it leaves the last.
	must(t, "BeginTOTP", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "NEW", CreatedAt: at(0)}))
	must(t, "DeleteFactorUnlessLast(a pending app)", s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorTOTP, "", true))
	must(t, "DeleteFactorUnlessLast(the last)", s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorPasskey, "p-1", false))
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after removing the last (the codes go)", f, storage.SecondFactors{})
	checkErr(t, "DeleteFactorUnlessLast(twice)",
		s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorPasskey, "p-1", false), storage.ErrNotFound)
}

// testDeleteFactorUnlessLastAtOnce: removals at once of all a user's
// factors, keeping one, leave exactly one.
func testDeleteFactorUnlessLastAtOnce(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s, "h1")
	ids := []string{"p-1", "p-2", "p-3"}
	for _, id := range ids {
		createPasskey(t, s, newPasskey(id, "u-1", "cred-"+id))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ids)+1)
	wg.Go(func() { errs[0] = s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorTOTP, "", true) })
	for i, id := range ids {
		wg.Go(func() { errs[i+1] = s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorPasskey, id, true) })
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, storage.ErrLastFactor):
			refused++
		default:
			t.Errorf("DeleteFactorUnlessLast at once: %v", err)
		}
	}
	f, _ := s.GetSecondFactors(ctx, "u-1")
	if f.Count() != 1 || refused != 1 || f.RecoveryCodes != 1 {
		t.Errorf("after %d removals at once: %+v, %d refused; want one factor left, one refusal, the code kept", len(errs), f, refused)
	}
}

// testDeleteSecondFactors: an administrator's reset takes the app
// (pending too), the passkeys and the recovery codes of the user, and
// nothing of another's.
func testDeleteSecondFactors(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s, "h1")
	createPasskey(t, s, newPasskey("p-1", "u-1", "cred-a"))
	createPasskey(t, s, newPasskey("p-2", "u-2", "cred-b"))
	must(t, "BeginTOTP(u-2, pending)", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-2", Secret: "P", CreatedAt: at(0)}))
	must(t, "DeleteSecondFactors(u-1)", s.DeleteSecondFactors(ctx, "u-1"))
	f, _ := s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors(u-1) after the reset", f, storage.SecondFactors{})
	_, err := s.GetTOTP(ctx, "u-1")
	checkErr(t, "GetTOTP(u-1) after the reset", err, storage.ErrNotFound)
	f, _ = s.GetSecondFactors(ctx, "u-2")
	diff(t, "GetSecondFactors(u-2), another user", f, storage.SecondFactors{Passkeys: 1})
	must(t, "DeleteSecondFactors(u-2)", s.DeleteSecondFactors(ctx, "u-2"))
	_, err = s.GetTOTP(ctx, "u-2")
	checkErr(t, "GetTOTP(u-2) after the reset (a pending set-up goes too)", err, storage.ErrNotFound)
}
