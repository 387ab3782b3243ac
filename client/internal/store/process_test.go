package store

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
)

// Environment of the child processes of TestStoreConcurrentProcesses.
const (
	childDirEnv = "HUBAUTH_TEST_STORE_CHILD_DIR"
	childIDEnv  = "HUBAUTH_TEST_STORE_CHILD_ID"
)

// TestStoreConcurrentProcesses runs the test binary again as several
// processes that update one tokens.json at once: each increments a counter
// in its own profile and one in a shared profile. Every entry must survive
// and the shared counter must count every increment: no lost update.
func TestStoreConcurrentProcesses(t *testing.T) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		storeChild(t, dir, os.Getenv(childIDEnv))
		return
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	const processes, rounds = 8, 50
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range processes {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStoreConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), childDirEnv+"="+dir, childIDEnv+"="+strconv.Itoa(i), "HUBAUTH_TEST_STORE_ROUNDS="+strconv.Itoa(rounds))
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("child %d: %v\n%s", i, err, out)
			}
		})
	}
	wg.Wait()
	s := Open(dir, false, failOnWarn(t))
	list := mustList(t, s)
	if len(list) != processes+1 {
		t.Errorf("%d sessions, want %d", len(list), processes+1)
	}
	for i := range processes {
		got, ok := mustLoad(t, s, hub, "p"+strconv.Itoa(i))
		if !ok || got.AccessToken != strconv.Itoa(rounds) {
			t.Errorf("profile p%d: counter %q, found %v; want %d", i, got.AccessToken, ok, rounds)
		}
	}
	if got, _ := mustLoad(t, s, hub, "shared"); got.AccessToken != strconv.Itoa(processes*rounds) {
		t.Errorf("shared counter = %q, want %d (lost updates)", got.AccessToken, processes*rounds)
	}
}

func storeChild(t *testing.T, dir, id string) {
	rounds, err := strconv.Atoi(os.Getenv("HUBAUTH_TEST_STORE_ROUNDS"))
	if err != nil {
		t.Fatal(err)
	}
	s := Open(dir, false, failOnWarn(t))
	for r := range rounds {
		for _, profile := range []string{"p" + id, "shared"} {
			if err := s.Update(hub, profile, increment); err != nil {
				t.Fatalf("round %d, %s: %v", r, profile, err)
			}
		}
		// Reads run beside the writers and never see a partial file.
		if _, err := s.List(); err != nil {
			t.Fatal(fmt.Errorf("round %d: List: %w", r, err))
		}
	}
}
