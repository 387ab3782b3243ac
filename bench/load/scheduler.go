package main

import (
	"container/heap"
	"context"
	"time"
)

// scheduler hands device codes to workers when they fall due. It owns a
// timer heap ordered by due time; workers take codes from work and return
// them on back once they have set the next due time.
//
// back has room for every code, so a worker never blocks returning one and
// the scheduler may block on work (all workers busy) without deadlock:
// codes then simply wait, and the bounded pool bounds the connections.
type scheduler struct {
	h    codeHeap
	work chan *deviceCode
	back chan *deviceCode
}

// newScheduler returns a scheduler holding codes.
func newScheduler(codes []*deviceCode) *scheduler {
	s := &scheduler{
		h:    codeHeap(append([]*deviceCode(nil), codes...)),
		work: make(chan *deviceCode),
		back: make(chan *deviceCode, len(codes)),
	}
	heap.Init(&s.h)
	return s
}

// run dispatches codes until ctx is done.
func (s *scheduler) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var (
			out  chan *deviceCode // nil unless the earliest code is due
			next *deviceCode
		)
		if len(s.h) > 0 {
			next = s.h[0]
			if wait := time.Until(next.due); wait > 0 {
				timer.Reset(wait)
			} else {
				out = s.work
			}
		}
		select {
		case <-ctx.Done():
			return
		case out <- next:
			heap.Pop(&s.h)
		case c := <-s.back:
			heap.Push(&s.h, c)
		case <-timer.C:
		}
	}
}

// codeHeap is a min-heap of device codes by due time (container/heap).
type codeHeap []*deviceCode

func (h codeHeap) Len() int           { return len(h) }
func (h codeHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h codeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }

// Push adds x, a *deviceCode.
func (h *codeHeap) Push(x any) { *h = append(*h, x.(*deviceCode)) }

// Pop removes and returns the last element.
func (h *codeHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
