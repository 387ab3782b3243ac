package cli

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// APIOptions are the inputs of `hubauth api`.
type APIOptions struct {
	userOptions
	Method  string   // -X; default GET, or POST with --data
	Target  string   // a path on the server, or a full http(s) URL
	Data    string   // --data: @FILE, - (standard input) or the body itself
	HasData bool     // --data was given
	Headers []string // -H 'Name: value'

	ReadFile func(name string) ([]byte, error)
}

// apiLong is the help of `hubauth api`.
const apiLong = `Send an HTTP request with the session's access token (refreshed as needed)
and print the answer on standard output; JSON is pretty-printed.

A PATH (e.g. /api/v1/users/me) is relative to the server. A full http(s)
URL is sent as it is, WITH THE TOKEN: use it for data APIs that accept
hubauth tokens, and only for hosts you trust. A redirect to another host
does not carry the token.

--data sends a body: @FILE reads a file, - reads standard input, anything
else is the body itself. The method is then POST unless -X says otherwise,
and Content-Type is application/json when the body is JSON (else
text/plain) unless -H sets it.

Exits 4 when the server answers 401 (log in again), 1 for other errors,
with the server's message.`

// NewCmdAPI returns `hubauth api`.
func NewCmdAPI(f *Factory, runF func(*APIOptions) error) *cobra.Command {
	opts := &APIOptions{}
	cmd := &cobra.Command{
		Use:   "api [-X METHOD] URL-or-PATH [--data @file|-|BODY] [-H 'Name: value']...",
		Short: "Send an authenticated request, like gh api",
		Long:  apiLong,
		Example: `  hubauth api /api/v1/users/me
  hubauth api -X POST https://data.example.org/api/v1/uploads --data '{"upload_name": "run 7"}'
  hubauth api -X DELETE /api/v1/tokens/TOKEN_ID`,
		Args: cmdutil.ExactArgs("URL-or-PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Target, opts.HasData, opts.ReadFile = args[0], cmd.Flags().Changed("data"), os.ReadFile
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return apiRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Method, "method", "X", "", "HTTP method (default GET, or POST with --data)")
	cmd.Flags().StringVar(&opts.Data, "data", "", "request body: @FILE, - for standard input, or the body itself")
	cmd.Flags().StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header 'Name: value' (repeatable)")
	return cmd
}

// validate checks the method, the headers and the target.
func (o *APIOptions) validate() error {
	if o.Method == "" {
		o.Method = http.MethodGet
		if o.HasData {
			o.Method = http.MethodPost
		}
	}
	o.Method = strings.ToUpper(o.Method)
	if !validToken(o.Method) {
		return cmdutil.UsageErrorf("invalid method %q", o.Method)
	}
	for _, h := range o.Headers {
		if _, _, err := parseHeader(h); err != nil {
			return err
		}
	}
	if o.Target == "" {
		return cmdutil.UsageErrorf("missing URL-or-PATH")
	}
	return nil
}

func apiRun(o *APIOptions) error {
	c, err := o.client(ClientOptions{})
	if err != nil {
		if !errors.Is(err, client.ErrNotLoggedIn) {
			return err
		}
		if hub := o.apiHub(); hub != "" {
			return &AuthError{Message: "authentication required: run hubauth login --server " + hub + " (the hub of " + o.Target + ")", Err: err}
		}
		return &AuthError{Message: "authentication required: run hubauth login --server URL (or set HUBAUTH_SERVER)", Err: err}
	}
	req, err := o.newRequest(c.Server)
	if err != nil {
		return err
	}
	resp, err := c.HTTPClient(o.Ctx).Do(req)
	if err != nil {
		if _, has := c.Session(); !has && errors.Is(err, client.ErrNotLoggedIn) {
			return o.apiNotLoggedIn(c)
		}
		if errors.Is(err, client.ErrNotLoggedIn) || errors.Is(err, client.ErrSessionExpired) {
			return c.authError(err)
		}
		return requestError(err)
	}
	defer resp.Body.Close()
	if err := client.CheckResponse(resp); err != nil {
		return o.responseError(c, err)
	}
	return writeBody(o.IO.Out, resp)
}

// responseError is the error for a refusal: authentication needed for a
// 401, the server's own message otherwise.
func (o *APIOptions) responseError(c *userClient, err error) error {
	if !errors.Is(err, client.ErrNotLoggedIn) {
		return err
	}
	info, has := c.Session()
	switch {
	case !has:
		return o.apiNotLoggedIn(c)
	case info.Source == client.SourceEnv:
		return c.authError(err)
	}
	if hub := o.apiHub(); hub != "" && !sameURL(hub, c.Server) {
		return &AuthError{Message: fmt.Sprintf("authentication required: run hubauth login --server %s (the hub of %s; the session is for %s)", hub, o.Target, c.Server), Err: err}
	}
	return &AuthError{Message: "authentication required: run " + c.loginCommand() + " (the server said: " + err.Error() + ")", Err: err}
}

// apiNotLoggedIn is the error of `hubauth api` without a session: it
// says authentication is required, as a data API's 401 would, and names
// the hub of the data API at a full URL when that is another server.
func (o *APIOptions) apiNotLoggedIn(c *userClient) error {
	if hub := o.apiHub(); hub != "" && !sameURL(hub, c.Server) {
		return &AuthError{Message: "authentication required: run hubauth login --server " + hub + " (the hub of " + o.Target + ")", Err: client.ErrNotLoggedIn}
	}
	return &AuthError{Message: fmt.Sprintf("authentication required: run %s (not logged in to %s)", c.loginCommand(), c.where()), Err: client.ErrNotLoggedIn}
}

// requestError describes a request that got no answer: the transport's
// error, or the SDK's own (a refresh that could not reach the server, a
// refusal of plain http), as it reads.
func requestError(err error) error {
	return fmt.Errorf("request failed: %w", err)
}
