package compat

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
)

// NOMAD's API is FastAPI's: an error answers {"detail": "message"}, and a
// request that fails validation 422 {"detail": [{type, loc, msg, input}]}.
// The PAT endpoints answer in these shapes.

// fieldError is one of a 422's validation errors, as FastAPI writes them:
// loc is where ("body", "metadata", "name" or "query", "state").
type fieldError struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input,omitempty"`
}

// invalid is a request refused by validation: a 422 listing why.
type invalid []fieldError

func (e invalid) Error() string { return "compat: invalid request: " + e[0].Msg }

// invalidField returns a 422 for one field.
func invalidField(typ, msg string, input any, loc ...any) invalid {
	return invalid{{Type: typ, Loc: loc, Msg: msg, Input: input}}
}

// detail is {"detail": "message"}.
type detail struct {
	Detail string `json:"detail"`
}

// writeDetail writes err in NOMAD's shapes: invalid as a 422 list, a
// *jsonapi.Error as {"detail": its description} with its status; anything
// else as jsonapi.WriteError does (503 when the database is down, else a
// logged 500).
func (h *Handler) writeDetail(w http.ResponseWriter, r *http.Request, err error) {
	var bad invalid
	var e *jsonapi.Error
	switch {
	case errors.As(err, &bad):
		jsonapi.Write(w, http.StatusUnprocessableEntity, struct {
			Detail invalid `json:"detail"`
		}{bad})
	case errors.As(err, &e):
		jsonapi.Write(w, e.Status, detail{e.Description})
	default:
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
	}
}
