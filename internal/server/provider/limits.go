package provider

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/throttle"
)

// Bounds of the requests that store a row for anyone who asks, before any
// login: an authorization request lives 10 minutes, a device authorization
// as long.
const (
	// maxRequestBytes bounds the query string, and the body.
	maxRequestBytes = 16 << 10
	// maxParamBytes bounds every parameter without a cap in paramCaps:
	// state, nonce, redirect_uri, scope, and anything unknown.
	maxParamBytes = 2 << 10
)

// paramCaps are the parameters with a cap of their own, in bytes, well
// above what any client sends.
var paramCaps = map[string]int{
	// Signed JWTs: an ID token, claims and all; a request object (OIDC
	// Core §6.1), which the provider refuses anyway.
	"id_token_hint": 8 << 10,
	"request":       8 << 10,

	// Identifiers, hints and lists of short words.
	"client_id":      256,
	"client_secret":  256,
	"login_hint":     256,
	"token_name":     256,
	"ui_locales":     256,
	"claims_locales": 256,
	"acr_values":     256,

	// Single keywords and numbers.
	"response_type":         64,
	"response_mode":         64,
	"prompt":                64,
	"display":               64,
	"max_age":               20,
	"code_challenge_method": 16,
}

// RequestLimits guards the authorization endpoint and the device
// authorization endpoint, which store what they are sent before anyone has
// logged in. Each client address gets a rate per endpoint (429 with
// Retry-After beyond it), and each request is bounded: query and body at
// most 16 KiB each, every parameter at most 2 KiB or its paramCaps entry
// (400 invalid_request beyond), and must decode: a parameter that does not
// would otherwise be dropped silently by the form parser, and the request
// read without it (400 invalid_request). The pages turn the errors at /authorize into
// the hub's error page, since its redirect URI is not validated yet
// (RFC 6749 §4.1.2.1).
type RequestLimits struct {
	Authorize *throttle.Keyed
	Device    *throttle.Keyed
}

// Handler applies the limits in front of h; other paths pass through.
func (l RequestLimits) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rate *throttle.Keyed
		switch r.URL.Path {
		case PathAuthorize:
			rate = l.Authorize
		case PathDevice:
			rate = l.Device
		default:
			h.ServeHTTP(w, r)
			return
		}
		if ok, wait := rate.Allow(clientaddr.From(r).ThrottleKey()); !ok {
			secs := strconv.Itoa(throttle.Seconds(wait))
			w.Header().Set("Retry-After", secs)
			jsonapi.Write(w, http.StatusTooManyRequests, jsonapi.Errorf(http.StatusTooManyRequests, "slow_down",
				"Too many sign-in requests from your address: try again in "+secs+" s."))
			return
		}
		if err := checkSize(r); err != nil {
			jsonapi.Write(w, http.StatusBadRequest, jsonapi.Errorf(http.StatusBadRequest, "invalid_request",
				"The sign-in request is "+err.Error()+"."))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// checkSize checks the query and the body against the bounds, that they
// decode, and that every parameter is UTF-8 (PostgreSQL stores no other
// text). It reads the body and puts it back for the provider. Its errors
// complete "The sign-in request is …".
func checkSize(r *http.Request) error {
	if len(r.URL.RawQuery) > maxRequestBytes {
		return fmt.Errorf("too large: the query is longer than %d bytes", maxRequestBytes)
	}
	if err := checkParams(r.URL.RawQuery); err != nil {
		return err
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		return errors.New("unreadable")
	}
	if len(body) > maxRequestBytes {
		return fmt.Errorf("too large: the body is longer than %d bytes", maxRequestBytes)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		return checkParams(string(body))
	}
	return nil
}

// checkParams decodes a query or form and checks each parameter against
// its cap and for UTF-8.
func checkParams(encoded string) error {
	params, err := url.ParseQuery(encoded)
	if err != nil {
		return errors.New("malformed: a parameter is not properly encoded")
	}
	for name, values := range params {
		limit, ok := paramCaps[name]
		if !ok {
			limit = maxParamBytes
		}
		for _, v := range values {
			if len(v) > limit {
				return fmt.Errorf("too large: %s is longer than %d bytes", names.Quote(name), limit)
			}
			if !utf8.ValidString(v) {
				return fmt.Errorf("malformed: %s is not UTF-8 text", names.Quote(name))
			}
		}
	}
	return nil
}
