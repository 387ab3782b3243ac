package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxErrorBody bounds how much of an error response is kept.
const maxErrorBody = 64 << 10

// HTTPError is a server's refusal: a response with status 400 or more.
// It matches ErrNotLoggedIn for 401 and ErrForbidden for 403 under
// errors.Is, like the seeds' PermissionError, and ErrNotFound for 404 and
// ErrConflict for 409.
type HTTPError struct {
	StatusCode int
	// Code and Description are the server's error and error_description
	// (RFC 6749 §5.2, the JSON API's errors), else its message or detail,
	// else those of a WWW-Authenticate Bearer challenge (RFC 6750 §3).
	Code        string
	Description string
	// Body is the start of the response body (at most 64 KiB).
	Body []byte
	// RetryAfter is the server's Retry-After in seconds, if it sent one
	// (429 and 503 answers).
	RetryAfter time.Duration
}

// Error returns the status and the server's own message.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("client: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		msg += ": " + printable(e.Code)
	}
	if e.Description != "" {
		msg += ": " + printable(e.Description)
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %v)", e.RetryAfter)
	}
	return msg
}

// Unwrap returns ErrNotLoggedIn for 401, ErrForbidden for 403,
// ErrNotFound for 404 and ErrConflict for 409.
func (e *HTTPError) Unwrap() error {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return ErrNotLoggedIn
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrConflict
	}
	return nil
}

// CheckResponse returns nil for a response with a status below 400, and
// an *HTTPError otherwise. It then reads and closes the body, and replaces
// resp.Body with a reader of what it read, so the caller may still read it.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode < 400 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return newHTTPError(resp, body)
}

// newHTTPError builds the error for resp, whose body is body.
func newHTTPError(resp *http.Response, body []byte) *HTTPError {
	e := &HTTPError{StatusCode: resp.StatusCode, Body: body}
	var fields struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
		Detail      any    `json:"detail"`
	}
	if json.Unmarshal(body, &fields) == nil {
		e.Code = fields.Error
		detail, _ := fields.Detail.(string)
		e.Description = firstNonEmpty(fields.Description, fields.Message, detail)
	}
	if e.Code == "" && e.Description == "" {
		e.Code, e.Description = bearerChallenge(resp.Header.Get("WWW-Authenticate"))
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// bearerChallenge reads error and error_description from a Bearer
// challenge such as: Bearer realm="x", error="invalid_token",
// error_description="the token expired" (RFC 6750 §3).
func bearerChallenge(h string) (code, description string) {
	p := bearerParams(h)
	return p["error"], p["error_description"]
}

// bearerParams are the auth-params of a Bearer challenge (RFC 6750 §3,
// RFC 9110 §11.6.1), quoted or not; nil for another scheme.
func bearerParams(h string) map[string]string {
	rest, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil
	}
	params := map[string]string{}
	for rest != "" {
		var name, value string
		name, rest, _ = strings.Cut(strings.TrimLeft(rest, " ,"), "=")
		if strings.HasPrefix(rest, `"`) {
			value, rest, _ = strings.Cut(rest[1:], `"`)
		} else {
			value, rest, _ = strings.Cut(rest, ",")
		}
		params[strings.TrimSpace(name)] = value
	}
	return params
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
