package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
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
	i := slices.IndexFunc(o.Hosts, func(h string) bool { return gitHostMatches(h, req) })
	if i < 0 {
		return nil // not ours: git asks elsewhere
	}
	tok, err := o.token(o.Hosts[i])
	if errors.Is(err, errNoAnswer) {
		return nil
	}
	if err != nil {
		return err
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

// errNoAnswer is token's "answer nothing": the warning is written.
var errNoAnswer = errors.New("no answer")

// token is an access token for --resource, else for the origin of host,
// the --host URL the request matched. An API the hub does not know
// (invalid_target) gets errNoAnswer and a warning on standard error.
func (o *GitCredentialOptions) token(host string) (*oauth2.Token, error) {
	resource := o.Resource
	if resource == "" {
		u, err := url.Parse(host)
		if err != nil {
			return nil, fmt.Errorf("credential git: --host %q: %w", host, err)
		}
		resource = u.Scheme + "://" + u.Host
	}
	c, err := o.client(ClientOptions{MinValid: o.MinValid})
	if err != nil {
		return nil, err
	}
	ts, err := resourceTokenSource(o.Ctx, c, resource)
	if err != nil {
		return nil, err
	}
	tok, err := ts.Token()
	var herr *client.HTTPError
	if errors.As(err, &herr) && herr.Code == "invalid_target" {
		fmt.Fprintf(o.IO.ErrOut, "hubauth: warning: credential git answers nothing for %s: the hub refused a token for the API %s (%q); register it (hubauth admin api add) or give --resource\n",
			host, resource, herr.Description)
		return nil, errNoAnswer
	}
	if err != nil {
		return nil, c.authError(err)
	}
	return tok, nil
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
