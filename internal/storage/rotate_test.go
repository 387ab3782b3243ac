package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/storage"
)

const grace = 10 * time.Second

var (
	created = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now     = created.Add(time.Hour)
)

func family() storage.Session {
	return storage.Session{ID: "s-1", UserID: "u-1", ClientID: "c-1", Method: storage.MethodDevice,
		CreatedAt: created, LastUsedAt: created, ExpiresAt: created.Add(24 * time.Hour)}
}

func presented(rotatedAt time.Time) storage.RefreshToken {
	return storage.RefreshToken{Hash: "rt-1", SessionID: "s-1", CreatedAt: created,
		ExpiresAt: created.Add(2 * time.Hour), RotatedAt: rotatedAt}
}

var successor = storage.RefreshToken{Hash: "rt-2", CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}

// stored is successor as it is stored in session s-1.
func stored() storage.RefreshToken {
	n := successor
	n.SessionID = "s-1"
	return n
}

// used is the family after a rotation at now that stores a token.
func used() storage.Session {
	x := family()
	x.LastUsedAt = now
	return x
}

func TestDecideRotation(t *testing.T) {
	rotated := presented(now)
	revoked := family()
	revoked.RevokedAt = now
	for _, tc := range []struct {
		name string
		t    storage.RefreshToken
		x    storage.Session
		want storage.Rotation
	}{
		{"never rotated", presented(time.Time{}), family(),
			storage.Rotation{Outcome: storage.Rotated, Token: rotated, Session: used(), Next: stored()}},
		{"rotated within grace", presented(now.Add(-5 * time.Second)), family(),
			storage.Rotation{Outcome: storage.GraceReissued, Token: presented(now.Add(-5 * time.Second)), Session: used(), Next: stored()}},
		{"rotated exactly grace ago", presented(now.Add(-grace)), family(),
			storage.Rotation{Outcome: storage.GraceReissued, Token: presented(now.Add(-grace)), Session: used(), Next: stored()}},
		{"rotated before grace: reuse", presented(now.Add(-grace - time.Microsecond)), family(),
			storage.Rotation{Outcome: storage.ReuseDetected, Token: presented(now.Add(-grace - time.Microsecond)), Session: revoked,
				Audit: storage.AuditEvent{Time: now, Type: "refresh_reuse", UserID: "u-1", ClientID: "c-1", Detail: "session s-1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen storage.Session
			got, err := storage.DecideRotation(tc.t, tc.x, successor, now, grace, func(x storage.Session) error { seen = x; return nil })
			if err != nil {
				t.Fatalf("DecideRotation: %v", err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("DecideRotation (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.x, seen); d != "" {
				t.Errorf("the session check saw (-want +got):\n%s", d)
			}
		})
	}
}

// A Rotation tells a backend what to write: only Rotated marks the
// presented token, only reuse revokes, and the result is the decided
// session. Introspection honours exactly the tokens that do not revoke.
func TestRotationWrites(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		rotatedAt            time.Time
		marks, revokes, next bool
	}{
		{"Rotated", time.Time{}, true, false, true},
		{"GraceReissued", now.Add(-grace), false, false, true},
		{"ReuseDetected", now.Add(-time.Hour), false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := storage.DecideRotation(presented(tc.rotatedAt), family(), successor, now, grace, nil)
			if err != nil {
				t.Fatalf("DecideRotation: %v", err)
			}
			got := []bool{r.MarksRotated(), r.Revokes(), r.Next.Hash != ""}
			if want := []bool{tc.marks, tc.revokes, tc.next}; !cmp.Equal(got, want) {
				t.Errorf("MarksRotated, Revokes, stores Next = %v, want %v", got, want)
			}
			if h := presented(tc.rotatedAt).Honoured(family(), now, grace); h != !tc.revokes {
				t.Errorf("Honoured = %v, want %v (introspection agrees with rotation)", h, !tc.revokes)
			}
			want := storage.RotateResult{Outcome: r.Outcome, Session: r.Session}
			if d := cmp.Diff(want, r.Result()); d != "" {
				t.Errorf("Result (-want +got):\n%s", d)
			}
		})
	}
}

// A token that is not live is refused as unknown before check sees it; a
// check's refusal comes back unchanged, even for a reused token (nothing
// is revoked on a refused request).
func TestDecideRotationRefuses(t *testing.T) {
	refused := errors.New("wrong client")
	expiredSession, revokedSession := family(), family()
	expiredSession.ExpiresAt = now
	revokedSession.RevokedAt = now.Add(-time.Minute)
	expiredToken := presented(time.Time{})
	expiredToken.ExpiresAt = now
	for _, tc := range []struct {
		name    string
		t       storage.RefreshToken
		x       storage.Session
		check   error
		want    error
		checked bool
	}{
		{"expired token", expiredToken, family(), nil, storage.ErrNotFound, false},
		{"expired session", presented(time.Time{}), expiredSession, nil, storage.ErrNotFound, false},
		{"revoked session", presented(time.Time{}), revokedSession, nil, storage.ErrNotFound, false},
		{"check refuses", presented(time.Time{}), family(), refused, refused, true},
		{"check refuses a reused token", presented(now.Add(-time.Hour)), family(), refused, refused, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checked := false
			got, err := storage.DecideRotation(tc.t, tc.x, successor, now, grace, func(storage.Session) error { checked = true; return tc.check })
			if !errors.Is(err, tc.want) {
				t.Errorf("DecideRotation error = %v, want %v", err, tc.want)
			}
			if tc.check != nil && err != tc.check {
				t.Errorf("DecideRotation error = %v, want check's error unchanged", err)
			}
			if h := tc.t.Honoured(tc.x, now, grace); h && !tc.checked {
				t.Errorf("Honoured = true for a token refused as unknown")
			}
			if checked != tc.checked {
				t.Errorf("check called: %v, want %v", checked, tc.checked)
			}
			if d := cmp.Diff(storage.Rotation{}, got); d != "" {
				t.Errorf("a refusal decided writes (-want +got):\n%s", d)
			}
		})
	}
}
