package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hubauth/hubauth/resource"
)

// createRequest is the body of POST /api/v1/uploads: metadata only.
type createRequest struct {
	UploadName     string   `json:"upload_name"`
	Coauthors      []string `json:"coauthors"`
	CoauthorGroups []string `json:"coauthor_groups"`
	Reviewers      []string `json:"reviewers"`
	ReviewerGroups []string `json:"reviewer_groups"`
}

// Bounds of a create request.
const (
	maxBody     = 64 << 10
	maxName     = 255
	maxRoleList = 100
)

// inputError is a body that parses but does not validate: 422.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// readCreate reads and checks a create request: malformed JSON is a
// syntaxError (400), the rest an *inputError (422).
func readCreate(w http.ResponseWriter, r *http.Request) (createRequest, error) {
	var in createRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return in, fmt.Errorf("the body is larger than %d bytes", maxBody)
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		return in, errors.New(`the body is not one JSON object such as {"upload_name": "my data"}`)
	}
	for name := range fields {
		if !strings.Contains(" upload_name coauthors coauthor_groups reviewers reviewer_groups ", " "+name+" ") {
			return in, &inputError{fmt.Sprintf("unknown field %q: an upload is created with upload_name, coauthors, coauthor_groups, reviewers and reviewer_groups", name)}
		}
	}
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal(body, &in); errors.As(err, &te) {
		return in, &inputError{fmt.Sprintf("%s must be %s", te.Field, map[bool]string{true: "a string", false: "a list of strings"}[te.Field == "upload_name"])}
	} else if err != nil {
		return in, errors.New("the body is not valid JSON")
	}
	return in, in.check()
}

// check validates the fields.
func (in *createRequest) check() error {
	in.UploadName = strings.TrimSpace(in.UploadName)
	switch {
	case in.UploadName == "":
		return &inputError{"upload_name is required"}
	case len(in.UploadName) > maxName:
		return &inputError{fmt.Sprintf("upload_name is longer than %d bytes", maxName)}
	}
	for name, l := range map[string][]string{"coauthors": in.Coauthors, "coauthor_groups": in.CoauthorGroups,
		"reviewers": in.Reviewers, "reviewer_groups": in.ReviewerGroups} {
		if len(l) > maxRoleList {
			return &inputError{fmt.Sprintf("%s has more than %d entries", name, maxRoleList)}
		}
		for _, s := range l {
			if s == "" || len(s) > maxName {
				return &inputError{fmt.Sprintf("%s has an empty or overlong entry", name)}
			}
		}
	}
	return nil
}

// createUpload stores the caller's new upload: 201 with it.
func (a *api) createUpload(w http.ResponseWriter, r *http.Request) {
	c, _ := resource.CallerFrom(r.Context())
	in, err := readCreate(w, r)
	var ie *inputError
	switch {
	case errors.As(err, &ie):
		writeError(w, http.StatusUnprocessableEntity, "invalid_request", ie.msg)
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	u := newUpload(c, in, a.filesDir, a.now())
	if err := a.store.create(r.Context(), u); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/uploads/"+u.UploadID)
	writeJSON(w, http.StatusCreated, single{UploadID: u.UploadID, Data: u})
}
