package cli

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/net/webdav"
)

// TestRcloneBearerTokenCommand copies a WebDAV share behind resource with
// the real rclone, whose bearer_token_command is `hubauth token`. Access
// tokens live 2 s and one file takes 3 s to serve, so the token expires
// during the copy: the next request is refused, rclone runs the command
// again and goes on with the new token.
func TestRcloneBearerTokenCommand(t *testing.T) {
	t.Parallel()
	needTool(t, "rclone")
	h := newUserHub(t, shortTokens(2*time.Second))
	toolsLogin(t, h)
	share := t.TempDir()
	files := map[string]string{"a.txt": "alpha\n", "b.txt": "beta\n", "c.txt": "gamma\n", "d.txt": "delta\n"}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(share, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dav := &webdav.Handler{FileSystem: webdav.Dir(share), LockSystem: webdav.NewMemLS()}
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/b.txt" {
			time.Sleep(3 * time.Second) // outlive the access token
		}
		dav.ServeHTTP(w, r)
	})
	base, seen := protected(t, h.URL, slow)
	dest := t.TempDir()
	c := exec.Command("rclone", "copy", "hub:", dest, "--transfers", "1", "--checkers", "1", "--check-first", "--order-by", "name",
		"--retries", "1", "--low-level-retries", "3")
	c.Env = append(os.Environ(), "HOME="+t.TempDir(), "RCLONE_CONFIG="+filepath.Join(t.TempDir(), "rclone.conf"),
		"RCLONE_CONFIG_HUB_TYPE=webdav", "RCLONE_CONFIG_HUB_URL="+base, "RCLONE_CONFIG_HUB_VENDOR=other",
		"RCLONE_CONFIG_HUB_BEARER_TOKEN_COMMAND=hubauth token --resource "+toolsAPI, "HUBAUTH_DATA_DIR="+h.DataDir)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("rclone copy: %v\n%s", err, out)
	}
	for name, want := range files {
		if got, err := os.ReadFile(filepath.Join(dest, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	tokens, refused := seen.seen()
	if len(tokens) < 2 || refused == 0 {
		t.Errorf("the share saw %d distinct tokens and refused %d requests; want an expired token refused, then a new one", len(tokens), refused)
	}
}
