package cli

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// GitCredentialOptions are the inputs of `hubauth credential git`.
type GitCredentialOptions struct {
	userOptions
	// Action is get, store or erase: what git asks.
	Action string
	// Hosts is --host: the only places get answers for.
	Hosts []string
	// Resource is --resource: the API (RFC 8707) the token is for; empty:
	// the origin of the --host URL the request matched.
	Resource string
	// Username is --username, the user name answered with the token.
	Username string
	MinValid time.Duration
}

// NewCmdCredential returns `hubauth credential`, the credential helpers.
func NewCmdCredential(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("credential", "Credential helpers that hand the access token to other tools",
		NewCmdGitCredential(f, nil))
}

// NewCmdGitCredential returns `hubauth credential git`.
func NewCmdGitCredential(f *Factory, runF func(*GitCredentialOptions) error) *cobra.Command {
	opts := &GitCredentialOptions{}
	cmd := &cobra.Command{
		Use:   "git --host URL [--host URL...] [--resource URI] [--server URL] get|store|erase",
		Short: "A git credential helper that answers with the access token",
		Long: `A git credential helper (gitcredentials(7)). git runs it with get, store
or erase and the request on standard input.

get answers only for a request whose protocol and host (and path, when
the --host URL has one: set credential.useHttpPath) match a --host URL;
for anything else it answers nothing, and git asks its other helpers or
the user. The answer is an access token for the API --resource names
(RFC 8707), by default the matched --host URL's origin (such as
https://git.example.org), registered at the hub with hubauth admin api add;
never the session's own, account-wide token. When the hub does not know
that API (invalid_target) it answers nothing and says why on standard
error. The token goes as the password (user name
--username), or as a Bearer credential to a git that announces the
authtype capability (git 2.46 and later). Plain http is answered only for
hosts on this machine, unless --insecure-http.
store does nothing: the token is never stored by git. erase does nothing
either: the session stays, and the next get answers with a fresh token.`,
		Example: `  git config --global credential.https://git.example.org.helper ''
  git config --global --add credential.https://git.example.org.helper \
    '!hubauth credential git --host https://git.example.org'`,
		Args: cmdutil.ExactArgs("get|store|erase"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Action = args[0]
			if err := checkGitHosts(opts.Hosts, opts.InsecureHTTP); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return gitCredentialRun(opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Hosts, "host", nil, "answer `get` for this URL: scheme://host[:port][/path] (repeatable)")
	cmd.Flags().StringVar(&opts.Resource, "resource", "", "the API `URI` the token is for (RFC 8707; default: the matched --host URL's origin)")
	cmd.Flags().StringVar(&opts.Username, "username", "hubauth", "the user name answered with the token")
	cmd.Flags().DurationVar(&opts.MinValid, "min-valid", 60*time.Second, "refresh first if the token expires sooner than this")
	return cmd
}

// checkGitHosts refuses --host values that are not http(s) URLs, or are
// plain http to another machine without --insecure-http.
func checkGitHosts(hosts []string, insecure bool) error {
	for _, h := range hosts {
		u, err := url.Parse(h)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return cmdutil.UsageErrorf("--host %q must be an http(s) URL: scheme://host[:port][/path]", h)
		}
		if err := client.CheckSecure(u, insecure); err != nil {
			return &UsageError{Err: fmt.Errorf("--host %s: plain http to another machine would show the token to the network: use https, or --insecure-http", h)}
		}
	}
	return nil
}

// gitHostMatches reports whether the request req (git's protocol, host
// and maybe path) is for the --host URL allowed.
func gitHostMatches(allowed string, req map[string]string) bool {
	u, err := url.Parse(allowed)
	if err != nil || !strings.EqualFold(u.Scheme, req["protocol"]) ||
		!strings.EqualFold(hostWithPort(u.Scheme, u.Host), hostWithPort(req["protocol"], req["host"])) {
		return false
	}
	want := cleanGitPath(u.Path)
	if want == "" {
		return true
	}
	got := cleanGitPath(req["path"])
	return got == want || strings.HasPrefix(got, want+"/")
}

// cleanGitPath is p with "." and ".." segments resolved (path.Clean, so
// that team/repo.git/../../other cannot pass for team/repo.git) and without
// its leading and trailing slashes; "" for the root.
func cleanGitPath(p string) string {
	return strings.Trim(path.Clean("/"+p), "/")
}

// hostWithPort is host with scheme's default port made explicit, so that
// example.org and example.org:443 compare equal over https.
func hostWithPort(scheme, host string) string {
	if strings.Contains(strings.TrimPrefix(host, "["), ":") && !strings.HasSuffix(host, "]") {
		return host
	}
	port := map[string]int{"https": 443, "http": 80}[strings.ToLower(scheme)]
	return host + ":" + strconv.Itoa(port)
}
