package client_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
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
	return b.do(b.hub.FormPost(path, form))
}

// login fills the login form on p, if p is the login page.
func (b *webBrowser) login(p webPage) (webPage, error) {
	if !strings.Contains(p.Body, `action="/login"`) {
		return p, nil
	}
	form := hubtest.Hidden(p.Body)
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
	form := hubtest.Hidden(p.Body)
	form.Set("decision", decision)
	_, err = b.post("/device/approve", form)
	return err
}
