package storage

import (
	"fmt"
	"time"
)

// errNotLive is the refusal of a refresh token that is not Live: expired,
// or of a revoked or expired session. It is an ErrNotFound, so that such a
// token reads as unknown.
var errNotLive = fmt.Errorf("refresh token expired or revoked: %w", ErrNotFound)

// Live reports whether refresh token t of session x may be presented at
// now: neither has expired and the session is not revoked.
// DecideRotation refuses a token that is not live as unknown.
func (t RefreshToken) Live(x Session, now time.Time) bool {
	return t.ExpiresAt.After(now) && x.RevokedAt.IsZero() && x.ExpiresAt.After(now)
}

// Honoured reports whether DecideRotation would accept t at now: live,
// and either not rotated yet or rotated within grace (RFC 9700 §4.14.2).
func (t RefreshToken) Honoured(x Session, now time.Time, grace time.Duration) bool {
	return t.Live(x, now) && (t.RotatedAt.IsZero() || t.InGrace(now, grace))
}

// InGrace reports whether a rotated token presented again at now is within
// grace of its rotation: DecideRotation reissues rather than revokes.
func (t RefreshToken) InGrace(now time.Time, grace time.Duration) bool {
	return now.Sub(t.RotatedAt) <= grace
}

// RotateOutcome tells what RotateRefreshToken did.
type RotateOutcome int

// Outcomes of RotateRefreshToken.
const (
	// Rotated: the token was current; it is now rotated and Next is stored.
	Rotated RotateOutcome = iota + 1
	// GraceReissued: the token was already rotated, within the grace window;
	// Next is stored in the same family.
	GraceReissued
	// ReuseDetected: the token was rotated before the grace window; the whole
	// session is revoked, an audit event is written and Next is not stored.
	ReuseDetected
)

// RotateResult is what RotateRefreshToken returns.
type RotateResult struct {
	Outcome RotateOutcome
	Session Session // the family, as it is after the call
}

// Rotation is the refresh token rotation rule's decision (RFC 9700
// §4.14.2) for one presented token, with the rows it changes: a backend
// writes them in the transaction in which it read the token and its
// session, and returns Result.
type Rotation struct {
	Outcome RotateOutcome
	// Token is the presented token as it is after the call: RotatedAt is
	// now when Outcome is Rotated, unchanged otherwise.
	Token RefreshToken
	// Session is the family as it is after the call: LastUsedAt is now
	// when Next is stored, RevokedAt is now when the rotation Revokes.
	Session Session
	// Next is the token to store, in Session; zero when the rotation
	// Revokes.
	Next RefreshToken
	// Audit is the event to append when the rotation Revokes; zero
	// otherwise.
	Audit AuditEvent
}

// DecideRotation applies the rotation rule to token t of session x,
// presented at now with next as its successor:
//
//   - a token that is not Live is refused as unknown (ErrNotFound);
//   - check, if not nil, sees the session next; its error is returned
//     unchanged (the caller's client and scope checks: a refused request
//     does not use the token up);
//   - a token never rotated is marked rotated at now and next is stored
//     (Rotated);
//   - a token rotated at most grace ago (InGrace) has next stored too
//     (GraceReissued), so parallel clients sharing it are not logged out;
//   - a token rotated longer ago is being reused: the session is revoked
//     at now with a "refresh_reuse" audit event and next is not stored
//     (ReuseDetected).
//
// When next is stored it joins the session, whose LastUsedAt becomes now.
// DecideRotation only decides; it reads and writes nothing.
func DecideRotation(t RefreshToken, x Session, next RefreshToken, now time.Time, grace time.Duration, check func(Session) error) (Rotation, error) {
	if !t.Live(x, now) {
		return Rotation{}, errNotLive
	}
	if check != nil {
		if err := check(x); err != nil {
			return Rotation{}, err
		}
	}
	r := Rotation{Outcome: GraceReissued, Token: t, Session: x}
	switch {
	case t.RotatedAt.IsZero():
		r.Outcome = Rotated
		r.Token.RotatedAt = now
	case !t.InGrace(now, grace):
		r.Outcome = ReuseDetected
		r.Session.RevokedAt = now
		r.Audit = AuditEvent{Time: now, Type: AuditRefreshReuse, UserID: x.UserID, ClientID: x.ClientID, Detail: "session " + x.ID}
		return r, nil
	}
	r.Next = next
	r.Next.SessionID = x.ID
	r.Session.LastUsedAt = now
	return r, nil
}

// MarksRotated reports whether the presented token's RotatedAt is to be
// written (Rotated).
func (r Rotation) MarksRotated() bool { return r.Outcome == Rotated }

// Revokes reports whether the family is to be revoked (ReuseDetected): the
// session's RevokedAt is written and Audit appended, and nothing is stored.
// Otherwise Next is stored and the session's LastUsedAt written.
func (r Rotation) Revokes() bool { return r.Outcome == ReuseDetected }

// Result is what RotateRefreshToken returns for r.
func (r Rotation) Result() RotateResult {
	return RotateResult{Outcome: r.Outcome, Session: r.Session}
}
