package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// The NOMAD seed's Python snippet, with only the base URL changed.
const nomadSnippet = `
import requests
import json

response = requests.get(
    'BASE/api/v1/auth/token',
    params=dict(username='USER', password='PASSWORD')
)

token = response.json()['access_token']

response = requests.get(
'BASE/api/v1/auth/app_token?expires_in=86400',
headers={'Authorization': f'Bearer {token}'})
app_token = response.json()['access_token']

me = requests.get('BASE/api/v1/users/me', headers={'Authorization': f'Bearer {app_token}'}).json()
print(json.dumps({"username": me["username"], "app_token": app_token.startswith("hubauth_pat_")}))
`

// readme is the repository's README, whose "Using the API from Python"
// blocks the test runs as they stand.
const readme = "../../README.md"

// TestNomadPython runs NOMAD's Python with Python's requests against a
// real hub: the seed's snippet, and the README's PAT and app_token
// workflows verbatim (the blocks after <!-- python: NAME --> markers, run
// in turn as one script, with the hub's address and the credentials in
// HUBAUTH_URL, HUBAUTH_USER and HUBAUTH_PASSWORD). Each must print what
// the test expects, and the README's output block (<!-- python-output:
// NAME -->) must show the same.
func TestNomadPython(t *testing.T) {
	python := pythonWithRequests(t)
	const user = "demo" // the user the README's examples print, as in dev mode
	h := hubtest.New(t, hubtest.WithUser(user, demoPassword), hubtest.WithScope("uploads:read", "read your uploads"))
	text := readFile(t, readme)
	tests := []struct {
		name, script, want string
		shown              string // the README's output block; "" for the seed
	}{
		{"seed snippet", strings.NewReplacer("BASE", h.URL, "USER", user, "PASSWORD", demoPassword).Replace(nomadSnippet),
			`{"username": "demo", "app_token": true}`, ""},
		{"README PAT workflow", strings.Join(markedBlocks(t, text, "python", "pat"), "\n"), strings.Join([]string{
			"created my analysis script ['profile', 'uploads:read']",
			"hello demo",
			"active: ['my analysis script']",
			"rotated: old secret 401 new secret 200",
			"revoked: 204 then 401",
		}, "\n"), onlyBlock(t, markedBlocks(t, text, "python-output", "pat"))},
		{"README app_token workflow", strings.Join(markedBlocks(t, text, "python", "app_token"), "\n"), "hello demo",
			onlyBlock(t, markedBlocks(t, text, "python-output", "app_token"))},
	}
	env := append(os.Environ(), "HUBAUTH_URL="+h.URL, "HUBAUTH_USER="+user, "HUBAUTH_PASSWORD="+demoPassword,
		"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.shown != "" && tt.shown != tt.want {
				t.Errorf("the README shows the output\n%s\nwant\n%s", tt.shown, tt.want)
			}
			if got := runPython(t, python, tt.script, env); got != tt.want {
				t.Fatalf("the script printed\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// pythonWithRequests is the path of python3, or skips the test, saying
// why, where python3 or its requests module is missing.
func pythonWithRequests(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the README's Python examples are not run (TestNomadSnippets covers the seed's requests in Go)")
	}
	if out, err := exec.Command(python, "-c", "import requests").CombinedOutput(); err != nil {
		t.Skipf("python3 has no requests module (pip install requests): the README's Python examples are not run: %s", strings.TrimSpace(string(out)))
	}
	return python
}

// runPython runs script with env and returns what it printed, trimmed;
// the test fails when it exits with an error.
func runPython(t *testing.T, python, script string, env []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.py")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), python, path)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\nstdout:\n%s\nstderr:\n%s\nscript:\n%s", err, out, stderr.String(), script)
	}
	return strings.TrimSpace(string(out))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// markedBlocks returns, in order, the fenced code blocks that follow a
// line <!-- kind: name --> in text, without their fences. It fails the
// test when there is none, or a marker is not followed by a fenced block.
func markedBlocks(t *testing.T, text, kind, name string) []string {
	t.Helper()
	marker := "<!-- " + kind + ": " + name + " -->"
	lines := strings.Split(text, "\n")
	var blocks []string
	for i, line := range lines {
		if strings.TrimSpace(line) != marker {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			t.Fatalf("%s: %s on line %d is not followed by a fenced block", readme, marker, i+1)
		}
		end := i + 2
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		if end == len(lines) {
			t.Fatalf("%s: the block after %s on line %d is not closed", readme, marker, i+1)
		}
		blocks = append(blocks, strings.Join(lines[i+2:end], "\n"))
	}
	if len(blocks) == 0 {
		t.Fatalf("%s has no block marked %s", readme, marker)
	}
	return blocks
}

// onlyBlock is the one block of blocks, trimmed.
func onlyBlock(t *testing.T, blocks []string) string {
	t.Helper()
	if len(blocks) != 1 {
		t.Fatalf("%d output blocks, want 1", len(blocks))
	}
	return strings.TrimSpace(blocks[0])
}
