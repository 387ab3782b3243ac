//go:build !windows

package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// checkPrivate refuses files (those of paths that exist) that users other
// than their owner may read or write, naming the chmod that fixes them.
func checkPrivate(paths []string) error {
	var open []string
	var modes []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			open = append(open, p)
			modes = append(modes, fmt.Sprintf("%s %04o", p, perm))
		}
	}
	if len(open) == 0 {
		return nil
	}
	return fmt.Errorf("%w (%s); fix it with: chmod 600 %s", ErrInsecureFile, strings.Join(modes, ", "), strings.Join(open, " "))
}
