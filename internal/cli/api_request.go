package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// maxJSONBody bounds a JSON answer read to be pretty-printed; a longer one
// is copied as it is.
const maxJSONBody = 32 << 20

// newRequest builds the request: the target resolved against server, the
// body from --data, and the headers from -H.
func (o *APIOptions) newRequest(server string) (*http.Request, error) {
	target, err := resolveTarget(server, o.Target)
	if err != nil {
		return nil, err
	}
	body, err := o.body()
	if err != nil {
		return nil, err
	}
	var r io.Reader
	if o.HasData {
		r = bytes.NewReader(body) // sets GetBody: a 401 can be retried after a refresh
	}
	req, err := http.NewRequestWithContext(o.Ctx, o.Method, target, r)
	if err != nil {
		return nil, cmdutil.UsageErrorf("%v", err)
	}
	req.Header.Set("Accept", "application/json")
	if o.HasData {
		req.Header.Set("Content-Type", contentType(body))
	}
	for _, h := range o.Headers {
		name, value, _ := parseHeader(h)
		req.Header.Set(name, value)
	}
	return req, nil
}

// resolveTarget returns target when it is a full http(s) URL, else the
// path target appended to server.
func resolveTarget(server, target string) (string, error) {
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", cmdutil.UsageErrorf("invalid URL %q: give an http(s) URL or a path on the server", target)
		}
		return target, nil
	}
	return strings.TrimSuffix(server, "/") + "/" + strings.TrimPrefix(target, "/"), nil
}

// body reads --data: @FILE, - for standard input, or the text itself.
func (o *APIOptions) body() ([]byte, error) {
	switch {
	case !o.HasData:
		return nil, nil
	case o.Data == "-":
		b, err := io.ReadAll(o.IO.In)
		if err != nil {
			return nil, fmt.Errorf("read the body from standard input: %w", err)
		}
		return b, nil
	case strings.HasPrefix(o.Data, "@"):
		b, err := o.ReadFile(o.Data[1:])
		if err != nil {
			return nil, fmt.Errorf("read the body: %w", err)
		}
		return b, nil
	}
	return []byte(o.Data), nil
}

// contentType is application/json for a JSON body, else text/plain.
func contentType(body []byte) string {
	if json.Valid(body) {
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}

// parseHeader splits "Name: value".
func parseHeader(h string) (name, value string, err error) {
	name, value, ok := strings.Cut(h, ":")
	name = strings.TrimSpace(name)
	if !ok || !validToken(name) {
		return "", "", cmdutil.UsageErrorf("invalid header %q: write it as 'Name: value'", h)
	}
	return name, strings.TrimSpace(value), nil
}

// validToken reports whether s is an HTTP token (RFC 9110 §5.6.2), as
// methods and header names must be.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// writeBody copies the answer to w; a JSON answer is pretty-printed.
func writeBody(w io.Writer, resp *http.Response) error {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		_, err := io.Copy(w, resp.Body)
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody))
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	var pretty bytes.Buffer
	if len(body) == maxJSONBody || json.Indent(&pretty, bytes.TrimSpace(body), "", "  ") != nil {
		_, err = io.Copy(w, io.MultiReader(bytes.NewReader(body), resp.Body))
		return err
	}
	pretty.WriteByte('\n')
	_, err = pretty.WriteTo(w)
	return err
}
