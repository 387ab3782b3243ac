//go:build !unix

package cli

import "io/fs"

// fileOwner reports no owner: file modes and owners are Unix ideas, and
// the WLCG default paths are Unix paths.
func fileOwner(fs.FileInfo) (uid int, ok bool) { return 0, false }
