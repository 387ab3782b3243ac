package pages

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
)

func newTestPages(t *testing.T) (*Pages, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	p, err := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Issuer: &account.Issuer{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p, &logs
}

// Every page renders its own view type through its own method: the
// template finds every field it names, inside the shared layout.
func TestRenderEachPage(t *testing.T) {
	p, logs := newTestPages(t)
	ada := &storage.User{Username: "ada", Name: "Ada", Email: "ada@example.org"}
	tests := []struct {
		name   string
		render func(w http.ResponseWriter, r *http.Request)
		status int
		want   []string
	}{
		{"login", func(w http.ResponseWriter, r *http.Request) {
			p.renderLogin(w, r, http.StatusUnauthorized, loginView{layout: layout{Error: "Invalid username or password."},
				Client: "Lab Notebook", AuthRequestID: "ar1", UserCode: "BCDF-GHJK", Next: "/account", Username: "ada"})
		}, http.StatusUnauthorized, []string{"<title>Sign in · hubauth</title>", `<p class="error" role="alert">Invalid username or password.</p>`,
			"<strong>Lab Notebook</strong>", `name="authRequestID" value="ar1"`, `name="user_code" value="BCDF-GHJK"`,
			`name="next" value="/account"`, `value="ada"`}},
		{"consent", func(w http.ResponseWriter, r *http.Request) {
			p.renderConsent(w, r, http.StatusOK, consentView{layout: layout{User: ada}, Client: "Lab Notebook", AuthRequestID: "ar1",
				Scopes: []storage.Scope{{Name: "email", Description: "your email address"}}, Action: "/consent"})
		}, http.StatusOK, []string{`<span class="who">ada</span>`, "<strong>Lab Notebook</strong>",
			"<li><code>email</code> your email address</li>", `action="/consent"`, `name="authRequestID" value="ar1"`}},
		{"device", func(w http.ResponseWriter, r *http.Request) {
			p.renderDevice(w, r, http.StatusBadRequest, deviceView{layout: layout{Error: "That code is not valid."}, UserCode: "BCDF-GHJK"})
		}, http.StatusBadRequest, []string{"<h1>Connect a device</h1>", `<p class="error" role="alert">That code is not valid.</p>`, `value="BCDF-GHJK"`}},
		{"done", func(w http.ResponseWriter, r *http.Request) {
			p.renderDone(w, r, http.StatusOK, doneView{Title: "Signed out", Message: "You are not signed in."})
		}, http.StatusOK, []string{"<title>Signed out · hubauth</title>", "<h1>Signed out</h1>", "<p>You are not signed in.</p>"}},
		{"error", func(w http.ResponseWriter, r *http.Request) {
			p.renderError(w, r, http.StatusBadRequest, errorView{Code: "invalid_request", Message: "Start again."})
		}, http.StatusBadRequest, []string{"<code>invalid_request</code>", "<p>Start again.</p>"}},
		{"home", func(w http.ResponseWriter, r *http.Request) {
			p.renderHome(w, r, http.StatusOK, homeView{layout{User: ada}})
		}, http.StatusOK, []string{"signed in as <strong>ada</strong> (Ada)"}},
		{"logout", func(w http.ResponseWriter, r *http.Request) {
			p.renderLogout(w, r, http.StatusOK, logoutView{layout{User: ada}})
		}, http.StatusOK, []string{"<h1>Sign out?</h1>", `<span class="who">ada</span>`}},
		{"account", func(w http.ResponseWriter, r *http.Request) {
			v := p.newTokenForm("laptop", 86400, nil)
			v.User, v.Notice, v.FormError = ada, "The token is revoked: it stops working at once.", "Choose another name."
			v.Groups = []string{"lab"}
			v.Secret = &newSecret{Name: "ci", Token: "hubauth_pat_x"}
			v.HasPassword, v.IdentityError = true, "You cannot remove your last way to sign in."
			v.Identities = []identityRow{{Provider: "ORCID <iD>", Name: "orcid", Subject: "0000-0002-1825-0097", Linked: "1 Jan 2026 10:00 UTC", LastUsed: "never"}}
			v.Linkable = []providerButton{{Name: "lab", Display: "Lab & Co"}}
			p.renderAccount(w, r, http.StatusConflict, v)
		}, http.StatusConflict, []string{"<h2>Sign-in methods</h2>", "You can sign in with your hub password and these identities.",
			`<p class="error" role="alert">You cannot remove your last way to sign in.</p>`, "<strong>ORCID &lt;iD&gt;</strong>",
			`<code>0000-0002-1825-0097</code>`, `action="/account/identities/unlink#identities"`, `name="provider" value="orcid"`,
			`name="subject" value="0000-0002-1825-0097"`, `action="/account/identities/link"`, `name="provider" value="lab"`, "Link Lab &amp; Co</button>", `<main class="card wide">`, "<dd>ada@example.org</dd>", `<span class="tag">lab</span>`,
			`<p class="notice" role="status">The token is revoked: it stops working at once.</p>`,
			`<p class="error" role="alert">Choose another name.</p>`, `name="name" value="laptop"`,
			`<option value="86400" selected>1 day</option>`, "Token “ci” created.", ">hubauth_pat_x</code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			tt.render(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; logs: %s", w.Code, tt.status, logs)
			}
			if got, want := w.Header().Get("Content-Type"), "text/html; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			body := w.Body.String()
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q:\n%s", want, body)
				}
			}
			if tt.name != "account" && strings.Contains(body, "card wide") {
				t.Errorf("only the account page has the wide card:\n%s", body)
			}
		})
	}
}

// A template that fails (here the home page without its user) sends no
// half page: 500, a plain message, and the page's name in the log.
func TestRenderFailureSendsNoHalfPage(t *testing.T) {
	p, logs := newTestPages(t)
	w := httptest.NewRecorder()
	p.renderHome(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, homeView{})
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", w.Code)
	}
	if got, want := w.Body.String(), "internal error\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	if !strings.Contains(logs.String(), "page=home.html") {
		t.Errorf("log does not name the page: %s", logs)
	}
}

// Every template in web is rendered by a page, and every page finds its
// template, at start-up.
func TestLoadTemplatesTakesEveryTemplate(t *testing.T) {
	tmpl, err := loadTemplates()
	if err != nil {
		t.Fatalf("loadTemplates: %v", err)
	}
	for name, got := range map[string]*template.Template{
		"login.html": tmpl.loginTmpl, "consent.html": tmpl.consentTmpl, "device.html": tmpl.deviceTmpl,
		"done.html": tmpl.doneTmpl, "error.html": tmpl.errorTmpl, "home.html": tmpl.homeTmpl,
		"logout.html": tmpl.logoutTmpl, "account.html": tmpl.accountTmpl,
	} {
		if got == nil || got.Name() != name {
			t.Errorf("template for %s = %v", name, got)
		}
	}
}
