package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/storage"
)

// subtest is one named conformance test, run on a fresh store.
type subtest struct {
	name string
	run  func(t *testing.T, s storage.Storage)
}

// Run runs every conformance test as a subtest of t, each on a fresh, empty
// store from open. Run closes each store when its subtest ends.
func Run(t *testing.T, open func(t *testing.T) storage.Storage) {
	t.Helper()
	tests := [][]subtest{
		userTests, groupTests, clientTests, scopeTests, apiTests, idpTests, identityTests, upstreamLoginTests,
		signingKeyTests, authRequestTests,
		deviceAuthTests, browserSessionTests, sessionTests, rotateTests,
		personalTokenTests, factorTests, passkeyTests, auditTests, gcTests, leaseTests, concurrencyTests,
	}
	for _, group := range tests {
		for _, tt := range group {
			t.Run(tt.name, func(t *testing.T) {
				s := open(t)
				t.Cleanup(func() {
					if err := s.Close(); err != nil {
						t.Errorf("Close() = %v", err)
					}
				})
				tt.run(t, s)
			})
		}
	}
}

// base is the suite's fixed clock: UTC, whole microseconds.
var base = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

// at is base plus d.
func at(d time.Duration) time.Time { return base.Add(d) }

// opts makes cmp treat a nil and an empty slice alike: backends may return
// either for an empty list.
var opts = cmp.Options{cmpopts.EquateEmpty()}

// diff reports a mismatch between want and got as a cmp diff.
func diff(t *testing.T, what string, got, want any, extra ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, opts, cmp.Options(extra)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// checkErr reports err unless errors.Is(err, want); want nil means no error.
func checkErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

// must stops the test on an unexpected error of a set-up step.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// errUpdate is what failing update callbacks return.
var errUpdate = errors.New("storagetest: update refused")

// refuse is an update callback that fails with errUpdate.
func refuse[T any](T) (T, error) {
	var zero T
	return zero, errUpdate
}
