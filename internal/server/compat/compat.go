// Package compat serves NOMAD's authentication endpoints on the hub, so
// that scripts written for NOMAD work with only the base URL changed:
//
//	GET|POST /api/v1/auth/token       username + password → access and refresh token
//	GET      /api/v1/auth/app_token   bearer → personal token valid expires_in seconds (deprecated, as in NOMAD)
//	         /api/v1/auth/pats        NOMAD's personal access tokens: create, list, get, revoke, rotate
//
// The GET form of /auth/token carries the password in the query string;
// it is kept because NOMAD's documented snippets use it, can be switched
// off, and the hub never logs query strings.
package compat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// defaultScopes are granted to a password login that asks for none.
var defaultScopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopeOfflineAccess}

// Config is what the endpoints need.
type Config struct {
	Store    storage.Storage
	Provider *provider.Provider
	Authn    *authn.Authenticator
	Bearer   *bearer.Verifier
	Scopes   *scopes.Catalog // default: a catalog over Store
	Issuer   *account.Issuer // issues app_token's personal tokens (lifetimes 1 to Policy.MaxSeconds); required
	AllowGET bool            // keep GET /api/v1/auth/token
	// PublicURL is the hub's public base URL (its issuer): the PAT list's
	// links to other pages are absolute on it, as NOMAD's are.
	PublicURL string
	// MFA checks the otp of users with a second factor; nil: none asked.
	MFA    *mfa.Service
	Logger *slog.Logger
	Now    func() time.Time
}

// Handler serves the NOMAD-compatible endpoints.
type Handler struct {
	cfg Config
}

// New returns the handler.
func New(cfg Config) *Handler {
	if cfg.Scopes == nil {
		cfg.Scopes = scopes.NewCatalog(cfg.Store, cfg.Now)
	}
	return &Handler{cfg: cfg}
}

// loginScopes returns the scopes of a password login by client c: those
// asked for, or when none the default ones and every registered platform
// scope c may have — NOMAD's password token carries every scope of its
// data API, so its scripts (GET /uploads with that token) work unchanged
// against a data API that requires uploads:read. A scope c may not
// ask for (one the hub does not grant, or beyond the scopes an operator
// allowed c) is a 400 invalid_scope naming the ones it may.
func (h *Handler) loginScopes(ctx context.Context, c storage.Client, scope string) ([]string, error) {
	set, err := h.cfg.Scopes.ForClient(ctx, c)
	if err != nil {
		return nil, err
	}
	names := strings.Fields(scope)
	if len(names) == 0 {
		return append(set.Keep(defaultScopes), set.Registered()...), nil
	}
	err = set.Check(names)
	if ue := (*scopes.UnknownError)(nil); errors.As(err, &ue) {
		return nil, jsonapi.Errorf(http.StatusBadRequest, "invalid_scope", ue.Error())
	}
	return names, err
}

// Mount registers the endpoints.
func (h *Handler) Mount(mux routes.Mux) {
	mux.HandleFunc("POST /api/v1/auth/token", h.token)
	mux.HandleFunc("GET /api/v1/auth/token", h.tokenGET)
	mux.HandleFunc("GET "+pathAppToken, h.appToken)
	h.mountPATs(mux)
}

type passwordLogin struct {
	Username  string `json:"username"`
	Password  string `json:"password"`
	ClientID  string `json:"client_id"`
	Scope     string `json:"scope"`
	TokenName string `json:"token_name"`
	// Resource names the registered API the token is for (RFC 8707).
	Resource string `json:"resource"`
	// OTP is the second factor of a user who has one: an authenticator
	// app's code or a recovery code.
	OTP otpValue `json:"otp"`
	// GrantType and ClientSecret make it RFC 6749's password grant
	// (§4.3.2, §2.3.1); NOMAD's own form sends neither.
	GrantType    string `json:"grant_type"`
	ClientSecret string `json:"client_secret"`
}

func (h *Handler) tokenGET(w http.ResponseWriter, r *http.Request) {
	if !h.cfg.AllowGET {
		w.Header().Set("Allow", "POST")
		jsonapi.Write(w, http.StatusMethodNotAllowed, jsonapi.Errorf(http.StatusMethodNotAllowed, "invalid_request",
			"GET is switched off on this hub: POST the username and password as a form or JSON"))
		return
	}
	in, err := fromValues(r.URL.Query())
	h.login(w, r, in, err)
}

func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	in, err := readLogin(w, r)
	if err == nil {
		err = in.basicAuth(r)
	}
	h.login(w, r, in, err)
}

// readLogin reads a form or JSON body of at most 16 KiB (413 beyond).
func readLogin(w http.ResponseWriter, r *http.Request) (passwordLogin, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var in passwordLogin
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&in); err != nil {
			if e := jsonapi.BodyTooLarge(err); e != nil {
				return in, e
			}
			if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) && te.Field != "" {
				return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "field "+strconv.Quote(names.Clip(te.Field, 40))+" is not a string")
			}
			if errors.Is(err, errOTPType) {
				return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", errOTPType.Error())
			}
			return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body is not a JSON object with username and password")
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body has data after the JSON object")
		}
		return in, nil
	}
	if err := r.ParseForm(); err != nil {
		if e := jsonapi.BodyTooLarge(err); e != nil {
			return passwordLogin{}, e
		}
		return passwordLogin{}, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body is not a valid form")
	}
	return fromValues(r.PostForm)
}

func fromValues(v url.Values) (passwordLogin, error) {
	if len(v["resource"]) > 1 { // RFC 8707 §2.2: one per token request, as at the token endpoint
		return passwordLogin{}, jsonapi.Errorf(http.StatusBadRequest, "invalid_target", "name one resource per token request (RFC 8707 §2.2)")
	}
	for k, vs := range v {
		if len(vs) > 1 {
			return passwordLogin{}, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "parameter "+strconv.Quote(names.Clip(k, 40))+" is repeated")
		}
	}
	return passwordLogin{Username: v.Get("username"), Password: v.Get("password"), ClientID: v.Get("client_id"),
		Scope: v.Get("scope"), TokenName: v.Get("token_name"), Resource: v.Get("resource"), OTP: otpValue(v.Get("otp")), GrantType: v.Get("grant_type"), ClientSecret: v.Get("client_secret")}, nil
}

// login checks the credentials and answers NOMAD's token body.
func (h *Handler) login(w http.ResponseWriter, r *http.Request, in passwordLogin, err error) {
	if err == nil && in.GrantType != "" && in.GrantType != grantPassword {
		err = jsonapi.Errorf(http.StatusBadRequest, "unsupported_grant_type", "this endpoint takes grant_type=password only; other grants go to the token endpoint of the discovery document")
	}
	if err == nil && (in.Username == "" || in.Password == "") {
		err = jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "username and password are required")
	}
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	var c storage.Client
	var names []string
	sessionName, err := provider.TokenName(in.TokenName)
	if err != nil {
		err = jsonapi.Errorf(http.StatusBadRequest, "invalid_request", err.Error())
	} else if len(in.Scope) > 1024 {
		err = jsonapi.Errorf(http.StatusBadRequest, "invalid_scope", "scope is too long")
	} else if c, err = h.checkClient(r, in.ClientID, in.ClientSecret); err == nil {
		names, err = h.loginScopes(r.Context(), c, in.Scope)
	}
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	u, err := h.cfg.Authn.Login(r.Context(), in.Username, in.Password, clientaddr.From(r).ThrottleKey())
	if err != nil {
		h.loginError(w, r, err)
		return
	}
	amr, err := h.secondFactor(r.Context(), r, u, string(in.OTP))
	if err != nil {
		h.loginError(w, r, err)
		return
	}
	req := &provider.PasswordRequest{UserID: u.ID, ClientID: c.ID, Scopes: names, AuthTime: h.cfg.Now().UTC(),
		SessionName: sessionName, AMR: amr, Resource: in.Resource}
	resp, err := h.cfg.Provider.IssuePasswordTokens(r.Context(), req)
	if err != nil {
		h.issueError(w, r, err)
		return
	}
	writeTokens(w, in.GrantType != "", resp)
}

// clientOrDefault is the client a password login is made for: the one the
// request names, else the built-in hubauth-cli.
func clientOrDefault(id string) string {
	if id == "" {
		return storage.CLIClientID
	}
	return id
}

// checkClient allows the password endpoint to enabled public clients that
// list the "password" grant (the built-in hubauth-cli does), and to
// confidential ones that list it and authenticate with their secret
// (RFC 6749 §4.3.2): a confidential client may not log in without it.
func (h *Handler) checkClient(r *http.Request, id, sec string) (storage.Client, error) {
	c, err := h.cfg.Store.GetClient(r.Context(), clientOrDefault(id))
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return c, err
	}
	known := err == nil && !c.Disabled
	// Compare even for unknown clients so timing does not reveal which exist.
	secretOK := secret.Matches(sec, c.SecretHash) && sec != ""
	switch {
	case !known, sec != "" && (c.Public || !secretOK):
		return c, jsonapi.Errorf(http.StatusUnauthorized, "invalid_client", "unknown client "+strconv.Quote(names.Clip(id, 40))+" or wrong client secret")
	case !slices.Contains(c.GrantTypes, storage.GrantPassword) || (!c.Public && sec == ""):
		return c, jsonapi.Errorf(http.StatusBadRequest, "unauthorized_client", "client "+strconv.Quote(c.ID)+" may not use the password endpoint")
	}
	return c, nil
}

func (h *Handler) loginError(w http.ResponseWriter, r *http.Request, err error) {
	var throttled *authn.ThrottledError
	switch {
	case errors.Is(err, authn.ErrBadCredentials):
		err = jsonapi.Errorf(http.StatusUnauthorized, "invalid_grant", "invalid username or password")
	case errors.Is(err, authn.ErrMalformed):
		err = jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the username is not valid UTF-8 text")
	case errors.Is(err, authn.ErrPasswordLoginOff):
		err = jsonapi.Errorf(http.StatusForbidden, "unauthorized_client",
			"password sign-in is turned off on this hub; sign in through the browser or the device flow (hubauth login)")
	case errors.As(err, &throttled):
		w.Header().Set("Retry-After", strconv.Itoa(throttle.Seconds(throttled.RetryAfter)))
		err = jsonapi.Errorf(http.StatusTooManyRequests, "slow_down",
			"too many failed logins; try again in "+throttle.Rounded(throttled.RetryAfter).String())
	case errors.Is(err, authn.ErrBusy):
		w.Header().Set("Retry-After", "1")
		err = jsonapi.Errorf(http.StatusServiceUnavailable, "temporarily_unavailable", "too many logins in progress; try again in a second")
	}
	jsonapi.WriteError(w, r, h.cfg.Logger, err)
}

// issueError turns the provider's OAuth errors (an unknown client, say)
// into 400s; the rest are the server's.
func (h *Handler) issueError(w http.ResponseWriter, r *http.Request, err error) {
	var oe *oidc.Error
	if errors.As(err, &oe) && oe.ErrorType != oidc.ServerError {
		err = jsonapi.Errorf(http.StatusBadRequest, string(oe.ErrorType), oe.Description)
	}
	jsonapi.WriteError(w, r, h.cfg.Logger, err)
}
