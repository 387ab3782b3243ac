package client_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// webBrowser is a cookie-keeping HTTP client that fills the hub's forms
// as a person would: the stand-in for a browser where a real one is not
// the point of the test.
type webBrowser struct {
	t      *testing.T
	hub    *hub
	client *http.Client
}

func newWebBrowser(t *testing.T, h *hub) *webBrowser {
	jar, _ := cookiejar.New(nil)
	return &webBrowser{t: t, hub: h, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// webPage is a response read in full.
type webPage struct {
	Status int
	URL    *url.URL
	Body   string
}

func (b *webBrowser) do(req *http.Request) (webPage, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return webPage{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return webPage{Status: resp.StatusCode, URL: resp.Request.URL, Body: string(body)}, err
}

func (b *webBrowser) get(u string) (webPage, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

// post submits a form to the hub as a same-origin page would.
func (b *webBrowser) post(path string, form url.Values) (webPage, error) {
	req, _ := http.NewRequest(http.MethodPost, b.hub.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.hub.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

var hiddenField = regexp.MustCompile(`name="(authRequestID|user_code|next)" value="([^"]*)"`)

// hidden returns the hidden fields of a form.
func hidden(body string) url.Values {
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], m[2])
	}
	return v
}

// login fills the login form on p, if p is the login page.
func (b *webBrowser) login(p webPage) (webPage, error) {
	if !strings.Contains(p.Body, `action="/login"`) {
		return p, nil
	}
	form := hidden(p.Body)
	form.Set("username", demoUser)
	form.Set("password", demoPassword)
	return b.post("/login", form)
}

// approveDevice enters code on /device, logs in and approves or denies.
func (b *webBrowser) approveDevice(code, decision string) error {
	p, err := b.post("/device", url.Values{"user_code": {code}})
	if err == nil {
		p, err = b.login(p)
	}
	if err != nil {
		return err
	}
	if !strings.Contains(p.Body, `action="/device/approve"`) {
		b.t.Errorf("want the approval page, got %d:\n%s", p.Status, p.Body)
		return nil
	}
	form := hidden(p.Body)
	form.Set("decision", decision)
	_, err = b.post("/device/approve", form)
	return err
}
