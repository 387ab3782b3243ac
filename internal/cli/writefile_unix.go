//go:build !windows

package cli

import (
	"path/filepath"

	"github.com/google/renameio/v2"
)

// writeAtomic replaces path with data, mode 0600 whatever the umask: a
// temporary file in the same directory, synced, then renamed over path.
func writeAtomic(path string, data []byte) error {
	return renameio.WriteFile(path, data, 0o600, renameio.WithTempDir(filepath.Dir(path)), renameio.WithStaticPermissions(0o600))
}
