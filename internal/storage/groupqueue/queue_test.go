package groupqueue

import (
	"slices"
	"sync"
	"testing"
)

// TestQueue: writes come out oldest first, in batches of at most n; a
// removed write never comes out; writes put back come out first, in order.
func TestQueue(t *testing.T) {
	var q Queue[int]
	for i := range 5 {
		q.Push(i)
	}
	if !q.Remove(2) || q.Remove(2) || q.Remove(9) {
		t.Error("Remove: want true once for a queued write, false after and for one never queued")
	}
	if got := q.Take(3); !slices.Equal(got, []int{0, 1, 3}) {
		t.Errorf("Take(3) = %v, want [0 1 3]", got)
	}
	q.PushFront([]int{1, 3})
	q.Push(5)
	if got, n := q.Take(10), q.Len(); !slices.Equal(got, []int{1, 3, 4, 5}) || n != 0 {
		t.Errorf("Take(10) = %v, then %d left; want [1 3 4 5], 0", got, n)
	}
	if got := q.Take(1); len(got) != 0 {
		t.Errorf("Take on an empty queue = %v", got)
	}
}

// TestNext: a leader takes batches until its own write is answered.
func TestNext(t *testing.T) {
	var q Queue[int]
	for i := range 3 {
		q.Push(i)
	}
	done := make(chan struct{})
	if got := q.Next(done, 2); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("Next before done = %v, want [0 1]", got)
	}
	close(done)
	if got := q.Next(done, 2); got != nil || q.Len() != 1 {
		t.Errorf("Next after done = %v with %d left; want nil, and the write left queued", got, q.Len())
	}
}

// TestQueueConcurrent: every write pushed is taken exactly once (run
// with -race).
func TestQueueConcurrent(t *testing.T) {
	var q Queue[int]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				q.Push(g*100 + i)
			}
		})
	}
	seen := map[int]bool{}
	var mu sync.Mutex
	for range 4 {
		wg.Go(func() {
			for range 200 {
				for _, x := range q.Take(7) {
					mu.Lock()
					if seen[x] {
						t.Errorf("%d taken twice", x)
					}
					seen[x] = true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, x := range q.Take(1000) {
		seen[x] = true
	}
	if len(seen) != 800 {
		t.Errorf("%d writes taken, want 800", len(seen))
	}
}
