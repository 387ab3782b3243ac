package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteBearerFileWindows: Windows reports every directory as 0777 and
// files as 0666, so the Unix mode checks are skipped there: a bearer file
// in the user's own directory is written, and written again.
func TestWriteBearerFileWindows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bt_u0")
	for _, tok := range []string{"first", "second"} {
		if err := writeBearerFile(path, tok, os.Getuid()); err != nil {
			t.Fatalf("writeBearerFile: %v", err)
		}
		if got, _ := os.ReadFile(path); string(got) != tok+"\n" {
			t.Errorf("file = %q, want %q", got, tok)
		}
	}
}
