package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/storage"
)

// maxAuditedForm bounds the token request body read to tell a token
// exchange; a larger one passes unaudited (the library refuses it).
const maxAuditedForm = 64 << 10

// exchangeNote is where TokenExchange notes whom a request was for, for
// the refusal's audit event.
type exchangeNote struct{ userID string }

type exchangeNoteKey struct{}

// noteExchangeUser records the subject's user of the exchange in ctx's
// note, if any.
func noteExchangeUser(ctx context.Context, userID string) {
	if n, ok := ctx.Value(exchangeNoteKey{}).(*exchangeNote); ok {
		n.userID = userID
	}
}

// auditExchangeRefusals audits, in this one place, every token exchange
// the token endpoint refuses with a 4xx, whoever refused it: the library
// (a client without the grant, a bad client secret, a missing
// subject_token, an unsupported token type) or TokenExchange. The event
// names the client, the user when known, and the error code with its
// description.
func auditExchangeRefusals(next http.Handler, st *Storage) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PathToken || r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		form, ok := tokenForm(r)
		if !ok || form.Get("grant_type") != string(oidc.GrantTypeTokenExchange) {
			next.ServeHTTP(w, r)
			return
		}
		note := &exchangeNote{}
		rec := &errorRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), exchangeNoteKey{}, note)))
		if rec.status < 400 || rec.status >= 500 {
			return
		}
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(rec.body.Bytes(), &e) // an undecodable body still audits the status
		if e.Error == "" {
			e.Error = http.StatusText(rec.status)
		}
		st.audit(r.Context(), storage.AuditEvent{Type: storage.AuditTokenExchangeRefused, ClientID: requestClientID(r, form),
			UserID: note.userID, Detail: e.Error + ": " + e.Description})
	})
}

// tokenForm is the token request's form: the one parsed before (the
// server's metrics read grant_type), or read from the body, which it
// puts back for the library, unparsed. ok is false for a body too large
// or malformed, which the library refuses.
func tokenForm(r *http.Request) (url.Values, bool) {
	if r.PostForm != nil {
		return r.PostForm, true
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxAuditedForm+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	if err != nil || len(body) > maxAuditedForm {
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	return form, err == nil
}

// requestClientID is the client a token request names: HTTP Basic (its
// user name form-decoded, RFC 6749 §2.3.1) or client_id.
func requestClientID(r *http.Request, form url.Values) string {
	if user, _, ok := r.BasicAuth(); ok {
		if id, err := url.QueryUnescape(user); err == nil {
			return id
		}
		return user
	}
	return form.Get("client_id")
}

// readCloser reads from one reader and closes another (the original body).
type readCloser struct {
	io.Reader
	io.Closer
}

// errorRecorder passes a response through, keeping a copy of an error
// response's body (never a successful one's: it holds tokens).
type errorRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (e *errorRecorder) WriteHeader(status int) {
	if e.status == 0 {
		e.status = status
	}
	e.ResponseWriter.WriteHeader(status)
}

func (e *errorRecorder) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	if e.status >= 400 && e.body.Len() < maxAuditedForm {
		e.body.Write(b)
	}
	return e.ResponseWriter.Write(b)
}
