package storagetest

import (
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var factorTests = []subtest{
	{"TOTPEnrolment", testTOTPEnrolment},
	{"TOTPStepSingleUse", testTOTPStepSingleUse},
	{"TOTPConcurrentStep", testTOTPConcurrentStep},
	{"RecoveryCodes", testRecoveryCodes},
	{"DeleteTOTP", testDeleteTOTP},
	{"DeleteFactorUnlessLast", testDeleteFactorUnlessLast},
	{"DeleteFactorUnlessLastAtOnce", testDeleteFactorUnlessLastAtOnce},
	{"DeleteSecondFactors", testDeleteSecondFactors},
	{"MFALogin", testMFALogin},
	{"AttemptMFALogin", testAttemptMFALogin},
	{"AttemptTOTPSetup", testAttemptTOTPSetup},
}

func testTOTPEnrolment(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	_, err := s.GetTOTP(ctx, "u-1")
	checkErr(t, "GetTOTP(none)", err, storage.ErrNotFound)
	must(t, "BeginTOTP", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "SEED1", CreatedAt: at(0)}))
	must(t, "BeginTOTP(again: replaces the pending one)", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "SEED2", CreatedAt: at(time.Second)}))
	got, err := s.GetTOTP(ctx, "u-1")
	checkErr(t, "GetTOTP", err, nil)
	diff(t, "GetTOTP (pending)", got, storage.TOTP{UserID: "u-1", Secret: "SEED2", CreatedAt: at(time.Second)})
	f, err := s.GetSecondFactors(ctx, "u-1")
	checkErr(t, "GetSecondFactors", err, nil)
	diff(t, "GetSecondFactors (pending is no factor)", f, storage.SecondFactors{})
	checkErr(t, "UseTOTPStep(pending)", s.UseTOTPStep(ctx, "u-1", 5), storage.ErrNotFound)

	checkErr(t, "ConfirmTOTP(replaced secret)", s.ConfirmTOTP(ctx, "u-1", "SEED1", 10, []string{"h1"}, at(time.Minute)), storage.ErrNotFound)
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after a refused confirmation (nothing half-saved)", f, storage.SecondFactors{})
	must(t, "ConfirmTOTP", s.ConfirmTOTP(ctx, "u-1", "SEED2", 10, []string{"h1", "h2"}, at(time.Minute)))
	checkErr(t, "ConfirmTOTP(twice)", s.ConfirmTOTP(ctx, "u-1", "SEED2", 11, nil, at(time.Minute)), storage.ErrNotFound)
	got, _ = s.GetTOTP(ctx, "u-1")
	diff(t, "GetTOTP (confirmed)", got, storage.TOTP{UserID: "u-1", Secret: "SEED2", LastStep: 10, CreatedAt: at(time.Second), ConfirmedAt: at(time.Minute)})
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors (confirmed)", f, storage.SecondFactors{TOTP: true, RecoveryCodes: 2})
	checkErr(t, "BeginTOTP(over a confirmed one)", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "SEED3", CreatedAt: at(0)}), storage.ErrAlreadyExists)
	got, _ = s.GetTOTP(ctx, "u-1")
	if got.Secret != "SEED2" {
		t.Errorf("secret after a refused BeginTOTP = %q, want SEED2", got.Secret)
	}
}

// confirmed gives user u-1 a confirmed authenticator whose last step is 10.
func confirmed(t *testing.T, s storage.Storage, recovery ...string) {
	t.Helper()
	createUsers(t, s, newUser("u-1", "alice"), newUser("u-2", "bob"))
	must(t, "BeginTOTP", s.BeginTOTP(t.Context(), storage.TOTP{UserID: "u-1", Secret: "SEED", CreatedAt: at(0)}))
	must(t, "ConfirmTOTP", s.ConfirmTOTP(t.Context(), "u-1", "SEED", 10, recovery, at(0)))
}

func testTOTPStepSingleUse(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s)
	checkErr(t, "UseTOTPStep(the confirming step)", s.UseTOTPStep(ctx, "u-1", 10), storage.ErrNotFound)
	checkErr(t, "UseTOTPStep(an earlier step)", s.UseTOTPStep(ctx, "u-1", 9), storage.ErrNotFound)
	must(t, "UseTOTPStep(11)", s.UseTOTPStep(ctx, "u-1", 11))
	checkErr(t, "UseTOTPStep(11 again)", s.UseTOTPStep(ctx, "u-1", 11), storage.ErrNotFound)
	checkErr(t, "UseTOTPStep(other user)", s.UseTOTPStep(ctx, "u-2", 12), storage.ErrNotFound)
}

func testTOTPConcurrentStep(t *testing.T, s storage.Storage) {
	confirmed(t, s)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.UseTOTPStep(t.Context(), "u-1", 20) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent UseTOTPStep(same step) succeeded, want 1 (errors %v)", ok, n, errs)
	}
}

func testRecoveryCodes(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s, "h1", "h2", "h3")
	must(t, "ConsumeRecoveryCode(h2)", s.ConsumeRecoveryCode(ctx, "u-1", "h2"))
	checkErr(t, "ConsumeRecoveryCode(h2 again)", s.ConsumeRecoveryCode(ctx, "u-1", "h2"), storage.ErrNotFound)
	checkErr(t, "ConsumeRecoveryCode(another user's)", s.ConsumeRecoveryCode(ctx, "u-2", "h1"), storage.ErrNotFound)
	checkErr(t, "ConsumeRecoveryCode(unknown)", s.ConsumeRecoveryCode(ctx, "u-1", "hx"), storage.ErrNotFound)
	f, _ := s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors", f, storage.SecondFactors{TOTP: true, RecoveryCodes: 2})
	must(t, "ReplaceRecoveryCodes", s.ReplaceRecoveryCodes(ctx, "u-1", []string{"n1", "n2", "n3", "n4"}, at(time.Hour)))
	checkErr(t, "ConsumeRecoveryCode(an old code)", s.ConsumeRecoveryCode(ctx, "u-1", "h1"), storage.ErrNotFound)
	must(t, "ConsumeRecoveryCode(a new code)", s.ConsumeRecoveryCode(ctx, "u-1", "n4"))
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after replacing", f, storage.SecondFactors{TOTP: true, RecoveryCodes: 3})
}

func testDeleteTOTP(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	confirmed(t, s, "h1")
	checkErr(t, "DeleteTOTP(none)", s.DeleteTOTP(ctx, "u-2"), storage.ErrNotFound)
	must(t, "DeleteTOTP", s.DeleteTOTP(ctx, "u-1"))
	f, _ := s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after DeleteTOTP (the recovery codes stay)", f, storage.SecondFactors{RecoveryCodes: 1})
	_, err := s.GetTOTP(ctx, "u-1")
	checkErr(t, "GetTOTP after DeleteTOTP", err, storage.ErrNotFound)
}

func testAttemptTOTPSetup(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	must(t, "BeginTOTP", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "S", CreatedAt: at(0), Owner: "bs-1"}))
	_, err := s.AttemptTOTPSetup(ctx, "u-1", "bs-2", at(-time.Minute))
	checkErr(t, "AttemptTOTPSetup(other owner)", err, storage.ErrNotFound)
	_, err = s.AttemptTOTPSetup(ctx, "u-1", "bs-1", at(time.Minute))
	checkErr(t, "AttemptTOTPSetup(started before since)", err, storage.ErrNotFound)
	for i := range storage.MaxCodeAttempts {
		got, err := s.AttemptTOTPSetup(ctx, "u-1", "bs-1", at(-time.Minute))
		checkErr(t, "AttemptTOTPSetup", err, nil)
		diff(t, "AttemptTOTPSetup", got, storage.TOTP{UserID: "u-1", Secret: "S", CreatedAt: at(0), Owner: "bs-1", Attempts: i + 1})
	}
	_, err = s.AttemptTOTPSetup(ctx, "u-1", "bs-1", at(-time.Minute))
	checkErr(t, "AttemptTOTPSetup(spent)", err, storage.ErrNotFound)
	must(t, "BeginTOTP(again)", s.BeginTOTP(ctx, storage.TOTP{UserID: "u-1", Secret: "T", CreatedAt: at(0), Owner: "bs-1"}))
	got, err := s.AttemptTOTPSetup(ctx, "u-1", "bs-1", at(-time.Minute))
	checkErr(t, "AttemptTOTPSetup(new set-up)", err, nil)
	diff(t, "AttemptTOTPSetup(new set-up)", got.Attempts, 1)
}

func testAttemptMFALogin(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	l := storage.MFALogin{TokenHash: "t-1", UserID: "u-1", AMR: []string{storage.AMRPassword}, AuthTime: at(0),
		Next: "/account", CreatedAt: at(0), ExpiresAt: at(10 * time.Minute), StepUpOf: "bs-1"}
	must(t, "CreateMFALogin", s.CreateMFALogin(ctx, l))
	for i := range storage.MaxCodeAttempts {
		got, err := s.AttemptMFALogin(ctx, "t-1", at(time.Minute))
		checkErr(t, "AttemptMFALogin", err, nil)
		l.Attempts = i + 1
		diff(t, "AttemptMFALogin", got, l)
	}
	_, err := s.AttemptMFALogin(ctx, "t-1", at(time.Minute))
	checkErr(t, "AttemptMFALogin(spent)", err, storage.ErrNotFound)
	_, err = s.GetMFALogin(ctx, "t-1", at(time.Minute))
	checkErr(t, "GetMFALogin(spent)", err, storage.ErrNotFound)
	_, err = s.AttemptMFALogin(ctx, "none", at(time.Minute))
	checkErr(t, "AttemptMFALogin(unknown)", err, storage.ErrNotFound)
}

func testMFALogin(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	l := storage.MFALogin{TokenHash: "t-1", UserID: "u-1", AMR: storage.FederatedAMR("orcid"), AuthTime: at(0),
		AuthRequestID: "ar-1", UserCode: "BCDFGHJK", Next: "/account", CreatedAt: at(0), ExpiresAt: at(10 * time.Minute)}
	must(t, "CreateMFALogin", s.CreateMFALogin(ctx, l))
	checkErr(t, "CreateMFALogin(same hash)", s.CreateMFALogin(ctx, l), storage.ErrAlreadyExists)
	got, err := s.GetMFALogin(ctx, "t-1", at(time.Minute))
	checkErr(t, "GetMFALogin", err, nil)
	diff(t, "GetMFALogin", got, l)
	_, err = s.GetMFALogin(ctx, "t-1", at(10*time.Minute))
	checkErr(t, "GetMFALogin(expired)", err, storage.ErrNotFound)
	got, err = s.ConsumeMFALogin(ctx, "t-1", at(time.Minute))
	checkErr(t, "ConsumeMFALogin", err, nil)
	diff(t, "ConsumeMFALogin", got, l)
	_, err = s.ConsumeMFALogin(ctx, "t-1", at(time.Minute))
	checkErr(t, "ConsumeMFALogin(twice)", err, storage.ErrNotFound)

	l.TokenHash, l.ExpiresAt = "t-2", at(time.Minute)
	must(t, "CreateMFALogin(t-2)", s.CreateMFALogin(ctx, l))
	_, err = s.ConsumeMFALogin(ctx, "t-2", at(time.Minute))
	checkErr(t, "ConsumeMFALogin(expired)", err, storage.ErrNotFound)
	l.TokenHash = "t-3"
	must(t, "CreateMFALogin(t-3)", s.CreateMFALogin(ctx, l))
	r, err := s.GarbageCollect(ctx, at(time.Hour))
	checkErr(t, "GarbageCollect", err, nil)
	if r.MFALogins != 1 {
		t.Errorf("GarbageCollect removed %d mfa logins, want 1", r.MFALogins)
	}
}
