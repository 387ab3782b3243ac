package audience

import (
	"errors"
	"net/url"
	"strings"

	"github.com/hubauth/hubauth/internal/loopback"
)

// MaxURI bounds an API's URI, in bytes.
const MaxURI = 512

// CheckURI validates an API's URI, which tokens for it carry as their
// audience (RFC 8707 §2: an absolute URI without a fragment): https, or
// http on a loopback host (a test or a single-machine set-up), with a
// host, without user information, query or fragment.
func CheckURI(uri string) error {
	if uri == "" || len(uri) > MaxURI {
		return errors.New("the URI must be 1 to 512 bytes")
	}
	u, err := url.Parse(uri)
	switch {
	case err != nil || !u.IsAbs() || u.Opaque != "" || u.Host == "":
		return errors.New("the URI must be absolute, like https://data.example.org")
	case strings.Contains(uri, "#"):
		return errors.New("the URI must not have a fragment (RFC 8707 §2)")
	case u.User != nil || u.RawQuery != "" || strings.Contains(uri, "?"):
		return errors.New("the URI must not have user information or a query")
	case u.Scheme == "http" && !loopback.Host(u.Hostname()):
		return errors.New("the URI must use https (http only on a loopback host such as 127.0.0.1)")
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("the URI must use https")
	case strings.ContainsFunc(uri, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return errors.New("the URI must not contain spaces or control characters")
	}
	return nil
}
