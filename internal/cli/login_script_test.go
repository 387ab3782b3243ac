package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary be the hubauth command of the scripts in
// testdata/script (STYLE rule 14): testscript runs it as a separate
// process with the script's environment.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"hubauth": func() { os.Exit(Main(os.Args[1:], System())) },
	})
}

// TestScripts drives the hubauth command as a user would, against a real
// hub this test starts. Each script gets its own data directory and:
//
//	$HUB             the hub's URL, where https://git.example.org is an
//	                 API owning the scope git:read
//	$DEMO_USER       a user of the hub, whose password is in the file
//	$WORK/password   (for `stdin password`)
//
// Besides testscript's commands, scripts may use
//
//	exitcode N cmd args...   run cmd; its exit code must be N
//	capture VAR [regexp]     set VAR to the last stdout (trimmed), or to
//	                         regexp's first group in it
func TestScripts(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	// tools.txtar's git host is an API of the hub, registered before any
	// request reads the hub's catalog of APIs.
	registerAPI(t, h, "git", "https://git.example.org", "git:read")
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HUB", h.URL)
			e.Setenv("DEMO_USER", demoUser)
			e.Setenv("HUBAUTH_DATA_DIR", filepath.Join(e.WorkDir, "data"))
			return os.WriteFile(filepath.Join(e.WorkDir, "password"), []byte(demoPassword+"\n"), 0o600)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": scriptExitCode,
			"capture":  scriptCapture,
		},
	})
}

// scriptExitCode is `exitcode N cmd args...`.
func scriptExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N cmd args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	var ee *exec.ExitError
	if err := ts.Exec(args[1], args[2:]...); errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("%s: exit code %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// scriptCapture is `capture VAR [regexp]`.
func scriptCapture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: capture VAR [regexp]")
	}
	out := strings.TrimSpace(ts.ReadFile("stdout"))
	if len(args) == 2 {
		m := regexp.MustCompile(args[1]).FindStringSubmatch(out)
		if len(m) < 2 {
			ts.Fatalf("capture: %q not found in stdout", args[1])
		}
		out = m[1]
	}
	ts.Setenv(args[0], out)
}
