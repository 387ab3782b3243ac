package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// errNoBus is the error of a Linux or BSD session without a D-Bus
// session bus, hence without a Secret Service.
var errNoBus = errors.New("keyring: no D-Bus session bus, so no Secret Service: DBUS_SESSION_BUS_ADDRESS is not set")

// checkBus returns errNoBus where the Secret Service is reached over
// D-Bus and no session bus can be found: the address in
// DBUS_SESSION_BUS_ADDRESS, or the bus socket (or dbus-session file) in
// the runtime directory, as godbus looks for them. Without either godbus
// would run dbus-launch, which starts a new bus, and with it a keyring
// daemon whose locked collection then waits for a prompt nobody sees:
// the classic hang of headless Linux, and two daemons left behind.
func checkBus() error {
	switch runtime.GOOS {
	case "darwin", "ios", "windows":
		return nil // Keychain and Credential Manager need no bus
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	return errNoBus
}
