package client_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// Environment of the child processes of TestRefreshAcrossProcesses.
const (
	refreshChildServer = "HUBAUTH_TEST_REFRESH_CHILD_SERVER"
	refreshChildDir    = "HUBAUTH_TEST_REFRESH_CHILD_DIR"
)

// TestRefreshAcrossProcesses runs the test binary again as 8 processes of
// 50 goroutines each, all sharing one stored session whose access token
// has expired. The sessions file's lock serializes their refreshes and
// each re-reads the file under it, so the hub sees exactly one refresh
// and every goroutine gets the same new token.
func TestRefreshAcrossProcesses(t *testing.T) {
	if server := os.Getenv(refreshChildServer); server != "" {
		refreshChild(t, server, os.Getenv(refreshChildDir))
		return
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	const processes = 8
	h := newHub(t)
	_, dir := loggedIn(t, h)
	editStored(t, dir, h, func(s *store.Session) { s.Expiry = time.Now().Add(-time.Minute) })

	children := make([]*exec.Cmd, processes)
	stdins := make([]io.WriteCloser, processes)
	outs := make([]*bufio.Reader, processes)
	for i := range children {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshAcrossProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), refreshChildServer+"="+h.URL, refreshChildDir+"="+dir)
		cmd.Stderr = os.Stderr
		stdins[i], _ = cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		outs[i] = bufio.NewReader(out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = cmd
	}
	for i, out := range outs { // every child is ready: its goroutines wait at the gate
		if line, err := out.ReadString('\n'); strings.TrimSpace(line) != "ready" {
			t.Fatalf("child %d: %q, %v", i, line, err)
		}
	}
	for _, in := range stdins { // open the gates at once
		in.Close()
	}
	tokens := map[string]int{}
	for i, cmd := range children {
		rest, _ := io.ReadAll(outs[i])
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, rest)
		}
		for _, line := range strings.Split(string(rest), "\n") {
			if tok, ok := strings.CutPrefix(line, "token "); ok {
				tokens[tok]++
			}
		}
	}
	if got := h.refreshes.Load(); got != 1 {
		t.Errorf("%d refresh requests at the hub, want exactly 1", got)
	}
	if len(tokens) != 1 {
		t.Errorf("the goroutines got %d different tokens, want 1", len(tokens))
	}
	s, _ := stored(t, dir, h)
	if n := tokens[s.AccessToken]; n != processes*50 {
		t.Errorf("%d goroutines got the stored token, want %d", n, processes*50)
	}
}

// refreshChild is one process of TestRefreshAcrossProcesses: 50
// goroutines of one Client ask for a token once stdin closes, and print
// what they got.
func refreshChild(t *testing.T, server, dir string) {
	c, err := client.New(context.Background(), client.Config{Server: server, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	gate := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]string, 50)
	for i := range results {
		wg.Go(func() {
			<-gate
			tok, err := c.Token(context.Background())
			if err != nil {
				t.Errorf("Token: %v", err)
				return
			}
			results[i] = "token " + tok.AccessToken
		})
	}
	io.Copy(io.Discard, os.Stdin)
	close(gate)
	wg.Wait()
	fmt.Println(strings.Join(results, "\n"))
}
