package hubtest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// secretsName is the Secret Service's well-known name on the bus.
const secretsName = "org.freedesktop.secrets"

// busConfig is a private session bus: our socket, no activatable
// services (a request for the Secret Service must not start a second,
// locked keyring daemon), everyone allowed.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// SecretService starts a private D-Bus session bus with an unlocked GNOME
// Keyring on it (the freedesktop Secret Service that go-keyring uses on
// Linux), in a home of its own, and returns the bus's address for
// DBUS_SESSION_BUS_ADDRESS. Both daemons stop when the test ends. The
// test is skipped, saying what is missing, where dbus-daemon or
// gnome-keyring-daemon is not installed or the service does not start.
func SecretService(t testing.TB) string {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: install dbus and gnome-keyring (apt-get install dbus gnome-keyring) to test the keyring", tool)
		}
	}
	dir, err := os.MkdirTemp("", "hubauth-bus") // short: a socket path has at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	env := daemonEnv(t, dir)
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	addr := startDaemon(t, bus, env, nil, true)
	keyring := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	startDaemon(t, keyring, append(env, "DBUS_SESSION_BUS_ADDRESS="+addr), strings.NewReader("hubauth-test"), false)
	if err := waitForName(addr, secretsName, 10*time.Second); err != nil {
		t.Skipf("gnome-keyring-daemon did not start the Secret Service: %v", err)
	}
	return addr
}

// daemonEnv is the daemons' environment: a fresh home and XDG
// directories under dir, so that no user's keyring is touched.
func daemonEnv(t testing.TB, dir string) []string {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(dir, "home")}
	for _, v := range []string{"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"} {
		sub := filepath.Join(dir, strings.ToLower(v))
		if err := os.MkdirAll(sub, 0o700); err != nil {
			t.Fatal(err)
		}
		env = append(env, v+"="+sub)
	}
	return env
}

// startDaemon starts cmd, stopped when the test ends, and returns the
// first line it prints when firstLine is set (dbus-daemon's address). It
// skips the test if cmd cannot start.
func startDaemon(t testing.TB, cmd *exec.Cmd, env []string, stdin io.Reader, firstLine bool) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Env, cmd.Stdin, cmd.Stderr = env, stdin, &stderr
	cmd.WaitDelay = time.Second // a child left holding the pipes must not block Wait
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	r := bufio.NewReader(out)
	var line string
	if firstLine {
		if line, err = r.ReadString('\n'); err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait() // stderr is complete
			t.Skipf("%s did not start: %v %s", cmd.Path, err, stderr.String())
		}
	}
	go func() { _, _ = r.WriteTo(io.Discard) }() // never block the daemon on a full pipe
	return strings.TrimSpace(line)
}

// waitForName waits until name has an owner on the bus at addr.
func waitForName(addr, name string, limit time.Duration) error {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return fmt.Errorf("connect to the bus: %w", err)
	}
	defer conn.Close()
	deadline := time.Now().Add(limit)
	for {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		switch {
		case err != nil:
			return err
		case has:
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("%s did not appear on the bus within %v", name, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// LockSecretService locks the login collection of the Secret Service on
// the bus at addr, as a screen lock or a timeout would: a client must then
// unlock it through a prompt, which nobody answers in a test.
func LockSecretService(t testing.TB, addr string) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the bus: %v", err)
	}
	defer conn.Close()
	var (
		locked []dbus.ObjectPath
		prompt dbus.ObjectPath
	)
	login := dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	err = conn.Object(secretsName, "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{login}).Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("lock the login collection: %v (locked %v, prompt %v)", err, locked, prompt)
	}
}
