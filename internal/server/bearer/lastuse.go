package bearer

import (
	"context"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// LastUseEvery is how often at most a node writes a personal token's last
// use: LastUsedAt is accurate to it, and a token used 20,000 times a
// second costs one write a minute, not 20,000 a second.
const LastUseEvery = time.Minute

// lastUse records when personal tokens are used and writes it coalesced.
// A use more than LastUseEvery after the token's last write (or its stored
// last use) is written at once, so a new or idle token shows as used
// straight away; later uses are kept in memory and written together, one
// transaction for all tokens, once the token's window has passed
// (flushDue) and at shutdown (flushAll).
type lastUse struct {
	store storage.PersonalTokens

	mu     sync.Mutex
	tokens map[string]*useState // by token id
}

// useState is one token's uses on this node.
type useState struct {
	written time.Time // when this node last wrote its use, or the stored last use
	pending time.Time // the latest use not written yet; zero: none
}

func newLastUse(store storage.PersonalTokens) *lastUse {
	return &lastUse{store: store, tokens: make(map[string]*useState)}
}

// record notes that token id, whose stored last use is stored, was used
// at now, and writes it when the token's window has passed.
func (l *lastUse) record(ctx context.Context, id string, stored, now time.Time) error {
	l.mu.Lock()
	st, ok := l.tokens[id]
	if !ok {
		st = &useState{written: stored}
		l.tokens[id] = st
	}
	if now.Sub(st.written) < LastUseEvery {
		if now.After(st.pending) {
			st.pending = now
		}
		l.mu.Unlock()
		return nil
	}
	prev := st.written
	st.written, st.pending = now, time.Time{}
	l.mu.Unlock()
	uses := []storage.TokenUse{{ID: id, At: now}}
	if err := l.store.TouchPersonalTokens(ctx, uses); err != nil {
		l.restore(uses, now, prev)
		return err
	}
	return nil
}

// flushDue writes, in one transaction, the pending uses of the tokens
// whose window has passed at now, and forgets idle tokens.
func (l *lastUse) flushDue(ctx context.Context, now time.Time) error {
	return l.flush(ctx, now, false)
}

// flushAll writes every pending use (at shutdown).
func (l *lastUse) flushAll(ctx context.Context, now time.Time) error {
	return l.flush(ctx, now, true)
}

func (l *lastUse) flush(ctx context.Context, now time.Time, all bool) error {
	var uses []storage.TokenUse
	l.mu.Lock()
	for id, st := range l.tokens {
		due := now.Sub(st.written) >= LastUseEvery
		switch {
		case !st.pending.IsZero() && (due || all):
			uses = append(uses, storage.TokenUse{ID: id, At: st.pending})
			st.written, st.pending = now, time.Time{}
		case st.pending.IsZero() && due:
			delete(l.tokens, id) // its next use is written at once anyway
		}
	}
	l.mu.Unlock()
	if err := l.store.TouchPersonalTokens(ctx, uses); err != nil {
		l.restore(uses, now, time.Time{})
		return err
	}
	return nil
}

// forget drops token id's uses held in memory: once the token is rotated
// or revoked, a use of its old secret is not written afterwards.
func (l *lastUse) forget(id string) {
	l.mu.Lock()
	delete(l.tokens, id)
	l.mu.Unlock()
}

// restore puts back uses a failed write did not record, to be written
// by the next flush: the write marked at written is undone.
func (l *lastUse) restore(uses []storage.TokenUse, written, prev time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range uses {
		st, ok := l.tokens[u.ID]
		if !ok {
			st = &useState{}
			l.tokens[u.ID] = st
		}
		if st.written.Equal(written) {
			st.written = prev
		}
		if u.At.After(st.pending) {
			st.pending = u.At
		}
	}
}
