package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Environment variables of WLCG Bearer Token Discovery (WLCG Common JWT
// Profiles, "Bearer Token Discovery"): a tool looks for its token in
// BEARER_TOKEN, then in the file BEARER_TOKEN_FILE names, then in
// $XDG_RUNTIME_DIR/bt_u$UID, then in /tmp/bt_u$UID.
const (
	envBearerToken     = "BEARER_TOKEN"
	envBearerTokenFile = "BEARER_TOKEN_FILE"
	envXDGRuntimeDir   = "XDG_RUNTIME_DIR"
)

// ErrUnsafeBearerFile is matched by the refusal to write a bearer file
// where someone else could read, replace or redirect it.
var ErrUnsafeBearerFile = errors.New("unsafe bearer token file")

// bearerFilePath is where WLCG discovery looks for a file: BEARER_TOKEN_FILE,
// else $XDG_RUNTIME_DIR/bt_u$UID, else /tmp/bt_u$UID.
func bearerFilePath(getenv func(string) string, uid int) string {
	if p := getenv(envBearerTokenFile); p != "" {
		return p
	}
	name := "bt_u" + strconv.Itoa(uid)
	if dir := getenv(envXDGRuntimeDir); dir != "" {
		return filepath.Join(dir, name)
	}
	return filepath.Join("/tmp", name)
}

// writeBearerFile writes token to path atomically (a temporary file in the
// same directory, then a rename), mode 0600, after checking that nobody
// else controls the directory or the file already there: see
// checkBearerDir and checkBearerFile.
func writeBearerFile(path, token string, uid int) error {
	dir := filepath.Dir(path)
	if err := checkBearerDir(dir, uid); err != nil {
		return err
	}
	if err := checkBearerFile(path, uid); err != nil {
		return err
	}
	if err := writeAtomic(path, []byte(token+"\n")); err != nil {
		return fmt.Errorf("write the bearer token file: %w", err)
	}
	return nil
}

// checkBearerDir refuses a directory that someone else owns (other than
// root), or that others may write to without the sticky bit: there they
// could replace the file between two reads. /tmp (world-writable, sticky,
// owned by root) is accepted; the sticky bit keeps others' hands off our
// files.
func checkBearerDir(dir string, uid int) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("bearer token file directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrUnsafeBearerFile, dir)
	}
	if owner, ok := fileOwner(fi); ok && owner != uid && owner != 0 {
		return fmt.Errorf("%w: the directory %s belongs to another user (uid %d)", ErrUnsafeBearerFile, dir, owner)
	}
	if unixModes && fi.Mode().Perm()&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0 {
		return fmt.Errorf("%w: others can write to the directory %s (mode %v) and it is not sticky: choose another path", ErrUnsafeBearerFile, dir, fi.Mode().Perm())
	}
	return nil
}

// checkBearerFile accepts a missing file, or a regular file of ours that
// only we can read and write; it refuses a symbolic link, anything that
// is not a regular file, a file of someone else (planted in /tmp before
// us) and a file others could read.
func checkBearerFile(path string, uid int) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("bearer token file: %w", err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: %s exists and is not a regular file (%v)", ErrUnsafeBearerFile, path, fi.Mode().Type())
	}
	if owner, ok := fileOwner(fi); ok && owner != uid {
		return fmt.Errorf("%w: %s exists and belongs to another user (uid %d)", ErrUnsafeBearerFile, path, owner)
	}
	if unixModes && fi.Mode().Perm() != 0o600 {
		return fmt.Errorf("%w: %s exists with mode %v, not 0600: remove it first", ErrUnsafeBearerFile, path, fi.Mode().Perm())
	}
	return nil
}
