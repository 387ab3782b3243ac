//go:build !unix

package cli

import "io/fs"

// fileOwner reports no owner: file modes and owners are Unix ideas, and
// the WLCG default paths are Unix paths.
func fileOwner(fs.FileInfo) (uid int, ok bool) { return 0, false }

// unixModes is false: Go reports Windows files as 0666 or 0444 and
// directories as 0777, whatever their access lists say, so the Unix mode
// checks of bearer files would refuse every path. The user's own
// directories (the default, under the profile) are private by their ACLs.
const unixModes = false
