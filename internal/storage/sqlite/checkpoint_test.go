package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestCheckpointRestartsTheLog: one checkpoint, run while a writer keeps
// writing, copies the whole log into the database and lets a later write
// start the log from the beginning, so that the log does not grow with
// the database, and loses no write. (A writer this light leaves gaps in
// which a PASSIVE round can reach the end of the log, so the test cannot
// tell the final RESTART from luck; the kill -9 test covers durability.)
func TestCheckpointRestartsTheLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hubauth.db")
	s := openTest(t, path)
	// Opened once and closed after the store: closing a file drops the
	// POSIX locks this process holds on it, which are the store's.
	shm, err := os.Open(path + "-shm")
	if err != nil {
		t.Fatal(err)
	}
	defer shm.Close()
	defer s.Close()
	s.cp.stop() // the test runs the checkpoints itself
	<-s.cp.done
	s.cp.restartFrames = 1

	now := time.Now().UTC()
	var written atomic.Int64
	write := func() error {
		id := fmt.Sprint("s-", written.Add(1))
		return s.CreateSession(ctx, storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli",
			Method: storage.MethodDevice, CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(time.Hour)},
			storage.RefreshToken{Hash: tokenHash(id, 0), CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	}
	for range 300 {
		if err := write(); err != nil {
			t.Fatal(err)
		}
	}
	before := walFrames(t, shm)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := write(); err != nil {
				t.Error(err)
				return
			}
		}
	})
	s.cp.checkpoint(ctx)
	for then, deadline := written.Load(), time.Now().Add(10*time.Second); written.Load() < then+20; {
		if time.Now().After(deadline) {
			t.Fatal("the writer stopped writing")
		}
		time.Sleep(time.Millisecond)
	}
	after := walFrames(t, shm) // the writer still writing
	close(stop)
	wg.Wait()
	if after >= before {
		t.Errorf("log after a checkpoint and 20 more writes: %d frames; before: %d; want it restarted", after, before)
	}
	var n int64
	if err := s.rq.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != written.Load() {
		t.Errorf("sessions = %d, %v; want %d", n, err, written.Load())
	}
}

// walFrames is the number of frames in the log whose -shm file is shm:
// mxFrame in the wal-index header at its start (native byte order, see
// SQLite's wal.c), read without a checkpoint, which would change it.
func walFrames(t *testing.T, shm *os.File) uint32 {
	t.Helper()
	hdr := make([]byte, 20)
	if _, err := shm.ReadAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	return binary.NativeEndian.Uint32(hdr[16:20])
}
