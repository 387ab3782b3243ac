package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// bearerFileAuto is --write-bearer-file given without a path: the WLCG
// default location (bearerFilePath).
const bearerFileAuto = "auto"

// addTokenOutputFlags adds the outputs of `hubauth token` meant for other
// tools: --write-bearer-file and --exec-credential.
func addTokenOutputFlags(cmd *cobra.Command, opts *TokenOptions) {
	cmd.Flags().StringVar(&opts.BearerFile, "write-bearer-file", "",
		"write the token to `PATH` (0600, atomically) and print the path; without PATH where WLCG discovery looks ($BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u$UID, /tmp/bt_u$UID)")
	cmd.Flags().Lookup("write-bearer-file").NoOptDefVal = bearerFileAuto
	cmd.Flags().BoolVar(&opts.ExecCredential, "exec-credential", false,
		"print a Kubernetes ExecCredential (client.authentication.k8s.io/v1) for kubectl's exec plugin")
	if opts.Getuid == nil {
		opts.Getuid = os.Getuid
	}
}

// tokenArgs accepts no argument, except a PATH after a bare
// --write-bearer-file (`hubauth token --write-bearer-file PATH`).
func tokenArgs(opts *TokenOptions) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if opts.BearerFile == bearerFileAuto && len(args) == 1 {
			return nil
		}
		return cmdutil.ExactArgs()(cmd, args)
	}
}

// countTrue counts the true values among bs.
func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// writeBearerFileRun writes token where o.BearerFile says and prints the
// file's absolute path.
func writeBearerFileRun(o *TokenOptions, token string) error {
	uid := o.Getuid()
	path := o.BearerFile
	if path == bearerFileAuto {
		path = bearerFilePath(o.Getenv, uid)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("bearer token file: %w", err)
	}
	if err := writeBearerFile(abs, token, uid); err != nil {
		return err
	}
	if o.Getenv(envBearerToken) != "" {
		fmt.Fprintf(o.IO.ErrOut, "hubauth: warning: %s is set: tools read it before any bearer token file\n", envBearerToken)
	}
	_, err = fmt.Fprintln(o.IO.Out, abs)
	return err
}
