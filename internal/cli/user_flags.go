package cli

import (
	"github.com/spf13/cobra"
)

// The flags every user command takes (login, logout, status, token, whoami,
// api, tokens, sessions, users, groups, profiles, switch), defined once by
// addUserFlags and read once by userOptions.setup.
const (
	flagServer  = "server"  // the server's URL; else HUBAUTH_SERVER, else the only stored server
	flagProfile = "profile" // the session's profile; else HUBAUTH_PROFILE, else the server's default profile
)

// addUserFlags gives cmd the user commands' flags, as persistent flags so
// that a group's subcommands (tokens list, …) take them too.
func addUserFlags(cmd *cobra.Command) {
	fl := cmd.PersistentFlags()
	fl.String(flagServer, "", "server URL (default $HUBAUTH_SERVER, else the only stored server)")
	fl.String(flagProfile, "", "name of the session for this server (default $HUBAUTH_PROFILE, else the server's default profile: see hubauth switch)")
	fl.Bool(flagInsecureHTTP, false,
		"allow plain http to a server that is not on this machine (anyone on the network can read the credentials; also HUBAUTH_INSECURE_HTTP=1)")
	fl.String(flagStore, "",
		"where to keep the refresh token: file (tokens.json) or keyring (the system's keychain; also HUBAUTH_STORE)")
}

// readUserFlags returns the values of addUserFlags' flags on cmd; a
// command without them reads as if none were given.
func readUserFlags(cmd *cobra.Command) (server, profile string, insecureHTTP bool) {
	fl := cmd.Flags()
	server, _ = fl.GetString(flagServer)
	profile, _ = fl.GetString(flagProfile)
	insecureHTTP, _ = fl.GetBool(flagInsecureHTTP)
	return server, profile, insecureHTTP
}
