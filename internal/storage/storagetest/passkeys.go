package storagetest

import (
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var passkeyTests = []subtest{
	{"Passkeys", testPasskeys},
	{"PasskeyCounter", testPasskeyCounter},
	{"PasskeyCeremony", testPasskeyCeremony},
	{"PasskeyRecoveryCodes", testPasskeyRecoveryCodes},
}

// createPasskey stores p (no recovery codes) or stops the test.
func createPasskey(t *testing.T, s storage.Storage, p storage.Passkey) {
	t.Helper()
	if _, err := s.CreatePasskey(t.Context(), p, nil); err != nil {
		t.Fatalf("CreatePasskey(%s): %v", p.ID, err)
	}
}

// testPasskeyRecoveryCodes: a passkey is saved with the recovery codes
// of a user who has none, in one transaction; a user who has some keeps
// them.
func testPasskeyRecoveryCodes(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	saved, err := s.CreatePasskey(ctx, newPasskey("p-1", "u-1", "cred-a"), []string{"h1", "h2"})
	if err != nil || !saved {
		t.Fatalf("CreatePasskey(the first, with codes) = %v, %v; want the codes saved", saved, err)
	}
	saved, err = s.CreatePasskey(ctx, newPasskey("p-2", "u-1", "cred-b"), []string{"n1", "n2", "n3"})
	if err != nil || saved {
		t.Errorf("CreatePasskey(the second, with codes) = %v, %v; want the user's codes kept", saved, err)
	}
	checkErr(t, "ConsumeRecoveryCode(a first code)", s.ConsumeRecoveryCode(ctx, "u-1", "h1"), nil)
	checkErr(t, "ConsumeRecoveryCode(a code not saved)", s.ConsumeRecoveryCode(ctx, "u-1", "n1"), storage.ErrNotFound)
	saved, err = s.CreatePasskey(ctx, newPasskey("p-3", "u-1", "cred-a"), []string{"x1"})
	checkErr(t, "CreatePasskey(a registered credential)", err, storage.ErrAlreadyExists)
	f, _ := s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors", f, storage.SecondFactors{Passkeys: 2, RecoveryCodes: 1})
	if saved {
		t.Error("a refused CreatePasskey says its codes were saved")
	}
}

// newPasskey is passkey id of user with credential id cred.
func newPasskey(id, user, cred string) storage.Passkey {
	return storage.Passkey{ID: id, UserID: user, CredentialID: []byte(cred), PublicKey: []byte("cose-" + cred),
		AttestationType: "none", Transports: []string{"internal", "hybrid"}, AAGUID: make([]byte, 16), SignCount: 1,
		UserVerified: true, BackupEligible: true, Name: "laptop " + id, CreatedAt: at(time.Duration(len(id)) * time.Second)}
}

func testPasskeys(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"), newUser("u-2", "bob"))
	a, b := newPasskey("p-1", "u-1", "cred-a"), newPasskey("p-22", "u-1", "cred-b")
	b.Transports, b.AAGUID = nil, nil
	createPasskey(t, s, a)
	createPasskey(t, s, b)
	_, err := s.CreatePasskey(ctx, newPasskey("p-3", "u-2", "cred-a"), []string{"h1"})
	checkErr(t, "CreatePasskey(the same credential for another user)", err, storage.ErrAlreadyExists)
	f, _ := s.GetSecondFactors(ctx, "u-2")
	diff(t, "GetSecondFactors after a refused CreatePasskey (nothing half-saved)", f, storage.SecondFactors{})
	list, err := s.ListPasskeys(ctx, "u-1")
	checkErr(t, "ListPasskeys", err, nil)
	diff(t, "ListPasskeys (oldest first)", list, []storage.Passkey{a, b})
	got, err := s.GetPasskeyByCredential(ctx, []byte("cred-b"))
	checkErr(t, "GetPasskeyByCredential", err, nil)
	diff(t, "GetPasskeyByCredential", got, b)
	_, err = s.GetPasskeyByCredential(ctx, []byte("unknown"))
	checkErr(t, "GetPasskeyByCredential(unknown)", err, storage.ErrNotFound)
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors (two passkeys)", f, storage.SecondFactors{Passkeys: 2})
	if !f.Any() || f.Count() != 2 {
		t.Errorf("SecondFactors %+v: Any %v Count %d, want true 2", f, f.Any(), f.Count())
	}

	checkErr(t, "RenamePasskey(another user's)", s.RenamePasskey(ctx, "u-2", "p-1", "mine"), storage.ErrNotFound)
	must(t, "RenamePasskey", s.RenamePasskey(ctx, "u-1", "p-1", "phone"))
	checkErr(t, "DeleteFactorUnlessLast(another user's passkey)", s.DeleteFactorUnlessLast(ctx, "u-2", storage.FactorPasskey, "p-1", false), storage.ErrNotFound)
	must(t, "DeleteFactorUnlessLast(passkey)", s.DeleteFactorUnlessLast(ctx, "u-1", storage.FactorPasskey, "p-22", false))
	list, _ = s.ListPasskeys(ctx, "u-1")
	a.Name = "phone"
	diff(t, "ListPasskeys after rename and delete", list, []storage.Passkey{a})

	createPasskey(t, s, newPasskey("p-4", "u-1", "cred-c"))
	must(t, "DeleteSecondFactors", s.DeleteSecondFactors(ctx, "u-1"))
	f, _ = s.GetSecondFactors(ctx, "u-1")
	diff(t, "GetSecondFactors after DeleteSecondFactors", f, storage.SecondFactors{})
}

// testPasskeyCounter: the counter moves only from the value the caller
// read, so of two assertions checked against one reading one is recorded.
func testPasskeyCounter(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	createPasskey(t, s, newPasskey("p-1", "u-1", "cred-a"))
	must(t, "UsePasskey(1 -> 2)", s.UsePasskey(ctx, "p-1", 1, 2, true, at(time.Hour)))
	checkErr(t, "UsePasskey(from a stale 1)", s.UsePasskey(ctx, "p-1", 1, 3, true, at(time.Hour)), storage.ErrNotFound)
	checkErr(t, "UsePasskey(unknown)", s.UsePasskey(ctx, "p-9", 2, 3, true, at(time.Hour)), storage.ErrNotFound)
	got, _ := s.GetPasskeyByCredential(ctx, []byte("cred-a"))
	if got.SignCount != 2 || !got.BackupState || !got.LastUsedAt.Equal(at(time.Hour)) {
		t.Errorf("after UsePasskey: count %d backup %v last used %v; want 2 true %v", got.SignCount, got.BackupState, got.LastUsedAt, at(time.Hour))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Go(func() {
			if s.UsePasskey(ctx, "p-1", 2, 3, true, at(2*time.Hour)) == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d of 8 parallel UsePasskey(2 -> 3) succeeded, want 1", won)
	}
}

func testPasskeyCeremony(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "alice"))
	c := storage.PasskeyCeremony{TokenHash: "h-1", Kind: storage.PasskeyRegister, UserID: "u-1", Owner: "bs-1",
		Name: "laptop", Session: []byte(`{"challenge":"x"}`), CreatedAt: at(0), ExpiresAt: at(5 * time.Minute)}
	must(t, "CreatePasskeyCeremony", s.CreatePasskeyCeremony(ctx, c))
	_, err := s.ConsumePasskeyCeremony(ctx, "h-1", storage.PasskeySignIn, at(time.Minute))
	checkErr(t, "ConsumePasskeyCeremony(another kind)", err, storage.ErrNotFound)
	got, err := s.ConsumePasskeyCeremony(ctx, "h-1", storage.PasskeyRegister, at(time.Minute))
	checkErr(t, "ConsumePasskeyCeremony", err, nil)
	diff(t, "ConsumePasskeyCeremony", got, c)
	_, err = s.ConsumePasskeyCeremony(ctx, "h-1", storage.PasskeyRegister, at(time.Minute))
	checkErr(t, "ConsumePasskeyCeremony(twice: single use)", err, storage.ErrNotFound)

	old := storage.PasskeyCeremony{TokenHash: "h-2", Kind: storage.PasskeySignIn, Session: []byte("{}"), CreatedAt: at(0), ExpiresAt: at(time.Minute)}
	must(t, "CreatePasskeyCeremony(h-2)", s.CreatePasskeyCeremony(ctx, old))
	_, err = s.ConsumePasskeyCeremony(ctx, "h-2", storage.PasskeySignIn, at(time.Minute))
	checkErr(t, "ConsumePasskeyCeremony(expired)", err, storage.ErrNotFound)
	old.TokenHash = "h-3"
	must(t, "CreatePasskeyCeremony(h-3)", s.CreatePasskeyCeremony(ctx, old))
	r, err := s.GarbageCollect(ctx, at(time.Minute))
	checkErr(t, "GarbageCollect", err, nil)
	if r.PasskeyCeremonies != 1 {
		t.Errorf("GarbageCollect removed %d passkey ceremonies, want 1", r.PasskeyCeremonies)
	}
}
