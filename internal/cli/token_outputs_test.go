package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTokenWriteBearerFile(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	sess, _ := h.stored("")
	runtime := t.TempDir() // 0700, like /run/user/$UID
	explicit := filepath.Join(t.TempDir(), "token")
	btFile := filepath.Join(t.TempDir(), "bt")
	uid := strconv.Itoa(os.Getuid())
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"XDG_RUNTIME_DIR", []string{"--write-bearer-file"}, map[string]string{"XDG_RUNTIME_DIR": runtime}, filepath.Join(runtime, "bt_u"+uid)},
		{"BEARER_TOKEN_FILE first", []string{"--write-bearer-file"}, map[string]string{"XDG_RUNTIME_DIR": runtime, "BEARER_TOKEN_FILE": btFile}, btFile},
		{"PATH after the flag", []string{"--write-bearer-file", explicit}, nil, explicit},
		{"=PATH", []string{"--write-bearer-file=" + explicit}, nil, explicit},
		{"rewrites its own file", []string{"--write-bearer-file", explicit}, nil, explicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.exec(cmd{args: append([]string{"token"}, tt.args...), env: tt.env})
			if r.code != ExitOK || r.stdout != tt.want+"\n" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want the path %s", r.code, r.stdout, r.stderr, tt.want)
			}
			wantBearerFile(t, tt.want, sess.AccessToken)
		})
	}
}

// wantBearerFile checks that path holds token, mode 0600.
func wantBearerFile(t *testing.T, path, token string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || strings.TrimSpace(string(data)) != token {
		t.Fatalf("%s holds %q (%v), want the access token", path, data, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
}

func TestTokenWriteBearerFileRefused(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) string // returns the path to write
		msg     string
	}{
		{"world-writable directory without sticky bit", func(t *testing.T, dir string) string {
			chmod(t, dir, 0o777)
			return filepath.Join(dir, "bt")
		}, "others can write to the directory"},
		{"group-writable directory without sticky bit", func(t *testing.T, dir string) string {
			chmod(t, dir, 0o770)
			return filepath.Join(dir, "bt")
		}, "others can write to the directory"},
		{"symbolic link planted", func(t *testing.T, dir string) string {
			chmod(t, dir, 0o1777)
			target := filepath.Join(t.TempDir(), "victim")
			if err := os.Symlink(target, filepath.Join(dir, "bt")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "bt")
		}, "exists and is not a regular file"},
		{"directory at the path", func(t *testing.T, dir string) string {
			if err := os.Mkdir(filepath.Join(dir, "bt"), 0o700); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "bt")
		}, "exists and is not a regular file"},
		{"file readable by others", func(t *testing.T, dir string) string {
			return writeFile(t, filepath.Join(dir, "bt"), 0o644)
		}, "not 0600: remove it first"},
		{"file of another user", func(t *testing.T, dir string) string {
			if os.Getuid() != 0 {
				t.Skip("needs root to give a file to another user")
			}
			chmod(t, dir, 0o1777)
			p := writeFile(t, filepath.Join(dir, "bt"), 0o600)
			if err := os.Chown(p, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return p
		}, "belongs to another user (uid 65534)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.prepare(t, dir)
			before, _ := os.Lstat(path)
			r := h.run("", "token", "--write-bearer-file", path)
			wantFailure(t, r, ExitError, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if after, _ := os.Lstat(path); (before == nil) != (after == nil) || (after != nil && !after.ModTime().Equal(before.ModTime())) {
				t.Errorf("%s was changed", path)
			}
		})
	}
}

func TestTokenWriteBearerFileStickyDirectory(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	dir := t.TempDir()
	chmod(t, dir, 0o1777) // like /tmp
	path := filepath.Join(dir, "bt_u"+strconv.Itoa(os.Getuid()))
	r := h.exec(cmd{args: []string{"token", "--write-bearer-file", path}, env: map[string]string{"BEARER_TOKEN": "x"}})
	if r.code != ExitOK || r.stdout != path+"\n" {
		t.Fatalf("exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: BEARER_TOKEN is set") {
		t.Errorf("stderr = %q, want a warning that BEARER_TOKEN shadows the file", r.stderr)
	}
	sess, _ := h.stored("")
	wantBearerFile(t, path, sess.AccessToken)
}

func TestTokenOutputsUsage(t *testing.T) {
	t.Parallel()
	h := newTestHub(t)
	for _, args := range [][]string{
		{"token", "--json", "--exec-credential"},
		{"token", "--header", "--write-bearer-file"},
		{"token", "--exec-credential", "extra"},
		{"token", "--write-bearer-file=a", "b"},
	} {
		wantFailure(t, h.run("", args...), ExitUsage, "")
	}
}

func TestTokenExecCredential(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	sess, _ := h.stored("")
	tests := []struct {
		name, info, version string
	}{
		{"no KUBERNETES_EXEC_INFO", "", "client.authentication.k8s.io/v1"},
		{"v1", `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`, "client.authentication.k8s.io/v1"},
		{"v1beta1", `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{}}`, "client.authentication.k8s.io/v1beta1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.exec(cmd{args: []string{"token", "--exec-credential"}, env: map[string]string{"KUBERNETES_EXEC_INFO": tt.info}})
			var got struct {
				APIVersion, Kind string
				Status           struct {
					Token               string
					ExpirationTimestamp string
				}
			}
			mustJSON(t, r.stdout, &got)
			exp, err := time.Parse(time.RFC3339, got.Status.ExpirationTimestamp)
			if got.APIVersion != tt.version || got.Kind != "ExecCredential" || got.Status.Token != sess.AccessToken ||
				err != nil || !exp.Equal(sess.Expiry) {
				t.Errorf("ExecCredential = %+v (%v); want %s with the token, expiring %v", got, err, tt.version, sess.Expiry)
			}
		})
	}
	r := h.exec(cmd{args: []string{"token", "--exec-credential"}, env: map[string]string{"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v2"}`}})
	wantFailure(t, r, ExitUsage, `apiVersion "client.authentication.k8s.io/v2"`)
	r = h.exec(cmd{args: []string{"token", "--exec-credential"}, env: map[string]string{"KUBERNETES_EXEC_INFO": `{`}})
	wantFailure(t, r, ExitError, "KUBERNETES_EXEC_INFO is not valid JSON")
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if mode&0o1000 != 0 {
		mode = mode&^0o1000 | os.ModeSticky
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("old\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}
