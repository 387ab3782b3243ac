package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// maxGitRequest bounds the request git writes to a credential helper.
const maxGitRequest = 64 << 10

// gitCredentialRun reads git's request and, for get on an allowed host,
// answers with the token.
func gitCredentialRun(o *GitCredentialOptions) error {
	req, caps, err := readGitRequest(o.IO.In)
	if err != nil {
		return err
	}
	switch o.Action {
	case "store", "erase":
		return nil // documented: the session is hubauth's, not git's
	case "get":
	default:
		return cmdutil.UsageErrorf("unknown action %q: git asks get, store or erase", o.Action)
	}
	if len(o.Hosts) == 0 {
		fmt.Fprintln(o.IO.ErrOut, "hubauth: warning: credential git answers nothing without --host URL (the hosts that may have the token)")
		return nil
	}
	if !slices.ContainsFunc(o.Hosts, func(h string) bool { return gitHostMatches(h, req) }) {
		return nil // not ours: git asks elsewhere
	}
	c, err := o.client(ClientOptions{MinValid: o.MinValid})
	if err != nil {
		return err
	}
	tok, err := c.Token(o.Ctx)
	if err != nil {
		return c.authError(err)
	}
	var b strings.Builder
	if slices.Contains(caps, "authtype") { // git 2.46+: an Authorization header as is
		fmt.Fprintf(&b, "capability[]=authtype\nauthtype=Bearer\ncredential=%s\nephemeral=true\n", tok.AccessToken)
	} else {
		if req["username"] == "" {
			fmt.Fprintf(&b, "username=%s\n", o.Username)
		}
		fmt.Fprintf(&b, "password=%s\n", tok.AccessToken)
	}
	if !tok.Expiry.IsZero() {
		fmt.Fprintf(&b, "password_expiry_utc=%s\n", strconv.FormatInt(tok.Expiry.Unix(), 10))
	}
	_, err = io.WriteString(o.IO.Out, b.String())
	return err
}

// readGitRequest reads key=value lines up to a blank line or the end of
// input (git-credential(1) "INPUT/OUTPUT FORMAT"). Repeated keys ending
// in [] (capability[]) are lists: their values are returned in caps.
func readGitRequest(r io.Reader) (req map[string]string, caps []string, err error) {
	req = map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(r, maxGitRequest))
	sc.Buffer(make([]byte, 0, 4096), maxGitRequest)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, nil, errors.New("credential git: a request line without '=' (git-credential(1) sends key=value lines)")
		}
		if k == "capability[]" {
			caps = append(caps, v)
			continue
		}
		req[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("credential git: read the request: %w", err)
	}
	return req, caps, nil
}
