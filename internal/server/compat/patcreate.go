package compat

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// patRequest is NOMAD's PATCreateRequest: {"metadata": {"name", "scopes",
// "description"?}, "expires_in_days": 30}. expires_in_days is kept raw to
// tell a missing one (NOMAD's default, 30 days) from null (no expiry).
type patRequest struct {
	Metadata *struct {
		Name        *string   `json:"name"`
		Scopes      *[]string `json:"scopes"`
		Description *string   `json:"description"`
	} `json:"metadata"`
	ExpiresInDays json.RawMessage `json:"expires_in_days"`
}

// defaultDays is NOMAD's default PAT lifetime.
const defaultDays = 30

const day = 24 * 60 * 60 // seconds

func (h *Handler) createPAT(w http.ResponseWriter, r *http.Request, p bearer.Principal) error {
	in, err := readPATRequest(w, r)
	if err != nil {
		return err
	}
	seconds, err := h.lifetime(in.ExpiresInDays)
	if err != nil {
		return err
	}
	m := in.Metadata
	req := account.TokenRequest{UserID: p.Subject, ClientID: p.ClientID, Name: *m.Name, ExpiresIn: seconds, Scopes: *m.Scopes,
		Holds: holds(p), Address: clientaddr.From(r).String(), Via: pathPATs}
	if m.Description != nil {
		req.Description = *m.Description
	}
	out, err := h.cfg.Issuer.Issue(r.Context(), req)
	var input *account.InputError
	switch {
	case errors.Is(err, account.ErrManagementScope):
		return invalidField("value_error", patCaller.Description, *m.Scopes, inputLoc(account.FieldScopes)...)
	case errors.As(err, &input):
		return invalidField("value_error", input.Description, nil, inputLoc(input.Field)...)
	case errors.Is(err, storage.ErrAlreadyExists):
		return jsonapi.Errorf(http.StatusConflict, "conflict", capitalize(account.DuplicateName(req.Name)))
	case errors.Is(err, account.ErrTooManyTokens):
		return jsonapi.Errorf(http.StatusConflict, "conflict", capitalize(account.TooManyTokens()))
	case err != nil:
		return jsonapi.TokenError(err, req.Name)
	}
	jsonapi.Write(w, http.StatusCreated, patCreated{viewPAT(out.PersonalToken), out.Token})
	return nil
}

// readPATRequest reads the body, at most 16 KiB (413 beyond): 400 when it is not JSON,
// 422 when a field is missing or of the wrong type, or no scope is given.
func readPATRequest(w http.ResponseWriter, r *http.Request) (patRequest, error) {
	var in patRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	err := dec.Decode(&in)
	if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
		kind := pydanticType(te.Type)
		return in, invalidField(kind+"_type", "Input should be a valid "+map[string]string{"string": "string",
			"list": "list", "dict": "dictionary"}[kind], nil, append([]any{"body"}, splitPath(te.Field)...)...)
	}
	if e := jsonapi.BodyTooLarge(err); e != nil {
		return in, jsonapi.Errorf(e.Status, e.Code, capitalize(e.Description)+".")
	}
	if err != nil {
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "The body is not valid JSON: send {\"metadata\": {\"name\", \"scopes\", \"description\"}, \"expires_in_days\"}.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "The body has data after the JSON object.")
	}
	switch {
	case in.Metadata == nil:
		return in, invalidField("missing", "Field required", nil, "body", "metadata")
	case in.Metadata.Name == nil:
		return in, invalidField("missing", "Field required", nil, "body", "metadata", "name")
	case in.Metadata.Scopes == nil:
		return in, invalidField("missing", "Field required", nil, "body", "metadata", "scopes")
	case len(*in.Metadata.Scopes) == 0:
		return in, invalidField("value_error", "At least one scope must be selected.", []string{}, "body", "metadata", "scopes")
	}
	return in, nil
}

// lifetime turns expires_in_days into seconds for account.TokenRequest: a
// missing one is NOMAD's 30 days (or the maximum when shorter); null is
// no expiry (0), where the operator allows it; else 1 to the maximum
// number of days. Refusals are NOMAD's messages, naming the maximum.
func (h *Handler) lifetime(raw json.RawMessage) (int64, error) {
	policy := h.cfg.Issuer.Policy
	maxDays := policy.MaxSeconds() / day
	loc := []any{"body", "expires_in_days"}
	switch {
	case len(raw) == 0:
		return min(defaultDays*day, policy.MaxSeconds()), nil
	case bytes.Equal(raw, []byte("null")) && policy.NoExpiry:
		return 0, nil
	case bytes.Equal(raw, []byte("null")):
		return 0, invalidField("value_error", "Infinite tokens are disabled. Max lifetime is "+maxText(policy)+".", nil, loc...)
	}
	var days int64
	if err := json.Unmarshal(raw, &days); err != nil {
		return 0, invalidField("int_parsing", "Input should be a valid integer", string(raw), loc...)
	}
	switch {
	case days <= 0:
		return 0, invalidField("value_error", "Cannot create an already expired token.", days, loc...)
	case days > maxDays:
		return 0, invalidField("value_error", "Requested lifetime ("+strconv.FormatInt(days, 10)+" days) exceeds the maximum allowed ("+maxText(policy)+").", days, loc...)
	}
	return days * day, nil
}

// maxText is the longest lifetime in days, or in seconds when under a day.
func maxText(p account.TokenPolicy) string {
	if d := p.MaxSeconds() / day; d > 0 {
		return strconv.FormatInt(d, 10) + " days"
	}
	return strconv.FormatInt(p.MaxSeconds(), 10) + " seconds"
}

// inputLoc is where in the request body an account.InputError's field is.
func inputLoc(field string) []any {
	switch field {
	case account.FieldExpiresIn:
		return []any{"body", "expires_in_days"}
	case account.FieldName, account.FieldScopes, account.FieldDescription:
		return []any{"body", "metadata", field}
	}
	return []any{"body"}
}

// pydanticType names the type a field should have as pydantic does.
func pydanticType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		return "list"
	case reflect.String:
		return "string"
	}
	return "dict"
}

// splitPath splits a json.UnmarshalTypeError's dotted field.
func splitPath(field string) []any {
	var out []any
	for _, f := range bytes.Split([]byte(field), []byte(".")) {
		if len(f) > 0 {
			out = append(out, string(f))
		}
	}
	return out
}

// capitalize upper-cases the first letter of an ASCII message.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
