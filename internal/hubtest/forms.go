package hubtest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// FormPost returns a POST of form to path on the hub as one of the hub's
// own pages submits it (Origin and Sec-Fetch-Site same-origin), for the
// tests' stand-ins of a browser.
func (h *Hub) FormPost(path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

var hiddenField = regexp.MustCompile(`name="(authRequestID|user_code|next)" value="([^"]*)"`)

// Hidden returns the hidden fields of the hub's forms (authRequestID,
// user_code, next) found in a page's body.
func Hidden(body string) url.Values {
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], m[2])
	}
	return v
}
