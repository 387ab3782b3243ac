// Package groupqueue is the waiting line of a group commit: writes queue
// up, and the writer whose turn it is takes a batch of them, oldest first,
// to run in one transaction. The SQLite and PostgreSQL stores use it.
package groupqueue

import (
	"slices"
	"sync"
)

// Queue is a line of pending writes; the zero value is empty and ready.
// It is safe for concurrent use.
type Queue[T comparable] struct {
	mu    sync.Mutex
	items []T
}

// Push adds x at the end of the line.
func (q *Queue[T]) Push(x T) {
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
}

// PushFront puts xs back at the head of the line, in their order: writes
// a group took but left for the next one.
func (q *Queue[T]) PushFront(xs []T) {
	if len(xs) == 0 {
		return
	}
	q.mu.Lock()
	q.items = append(slices.Clip(slices.Clone(xs)), q.items...)
	q.mu.Unlock()
}

// Take removes and returns up to n writes, oldest first.
func (q *Queue[T]) Take(n int) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items))
	batch := slices.Clone(q.items[:n])
	q.items = append(q.items[:0], q.items[n:]...)
	return batch
}

// Next is Take for a leader, which commits groups until its own write is
// answered: nil once done (that write's) is closed, else up to n writes.
// The line is not empty while the leader's own write is in it.
func (q *Queue[T]) Next(done <-chan struct{}, n int) []T {
	select {
	case <-done:
		return nil
	default:
		return q.Take(n)
	}
}

// Remove takes x out of the line and reports whether it was still there
// (no group has taken it).
func (q *Queue[T]) Remove(x T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.Index(q.items, x)
	if i < 0 {
		return false
	}
	q.items = slices.Delete(q.items, i, i+1)
	return true
}

// Len is how many writes wait.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
