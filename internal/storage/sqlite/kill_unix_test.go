//go:build !windows

package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// killRotators is how many goroutines rotate at once in the killed
// process, as many as bench/load's clients: enough for group commits.
const killRotators = 32

// TestKillLosesNoAcknowledgedRotation: a process rotating refresh tokens
// at full speed (grouped commits) is killed with SIGKILL; every rotation
// it had acknowledged (RotateRefreshToken returned, then the new token was
// printed) is in the database afterwards.
func TestKillLosesNoAcknowledgedRotation(t *testing.T) {
	if os.Getenv("HUBAUTH_KILL_DB") != "" {
		t.Skip("the child's own run")
	}
	path := filepath.Join(t.TempDir(), "hub.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillRotator$")
	cmd.Env = append(os.Environ(), "HUBAUTH_KILL_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []storage.RefreshKey
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if k, ok := strings.CutPrefix(lines.Text(), "rotated "); ok {
			session, hash, _ := strings.Cut(k, " ")
			acked = append(acked, storage.RefreshKey{SessionID: session, Hash: hash})
		}
		if len(acked) == 2000 {
			cmd.Process.Signal(syscall.SIGKILL) // mid-load: more rotations in flight
		}
	}
	cmd.Wait()
	if len(acked) < 2000 {
		t.Fatalf("the child acknowledged %d rotations before it ended, want at least 2000", len(acked))
	}
	s := openTest(t, path)
	defer s.Close()
	for _, k := range acked {
		if _, _, err := s.GetRefreshToken(t.Context(), k); err != nil {
			t.Fatalf("acknowledged rotation to %s… of %s lost after SIGKILL: %v", k.Hash[:8], k.SessionID, err)
		}
	}
	t.Logf("%d acknowledged rotations, all kept", len(acked))
}

// TestKillRotator is the child of TestKillLosesNoAcknowledgedRotation:
// it rotates until killed, printing each rotation once acknowledged.
func TestKillRotator(t *testing.T) {
	path := os.Getenv("HUBAUTH_KILL_DB")
	if path == "" {
		t.Skip("run by TestKillLosesNoAcknowledgedRotation")
	}
	s := openTest(t, path)
	now := time.Now().UTC()
	var mu sync.Mutex // one line at a time on stdout
	var wg sync.WaitGroup
	for g := range killRotators {
		wg.Go(func() {
			id := fmt.Sprint("s-", g)
			x := storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli", Method: storage.MethodDevice,
				CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(time.Hour)}
			tok := storage.RefreshToken{Hash: tokenHash(id, 0), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
			if err := s.CreateSession(context.Background(), x, tok); err != nil {
				t.Error(err)
				return
			}
			for i := 1; ; i++ {
				next := storage.RefreshToken{Hash: tokenHash(id, i), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
				if _, err := s.RotateRefreshToken(context.Background(), storage.RefreshKey{SessionID: id, Hash: tok.Hash}, next, now, time.Second, nil); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "rotated %s %s\n", id, next.Hash)
				mu.Unlock()
				tok = next
			}
		})
	}
	wg.Wait()
}
