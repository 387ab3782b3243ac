package compat

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
)

// patStates are the values of GET /api/v1/auth/pats?state=: NOMAD's
// active and inactive (revoked or expired), and each kind of inactive.
var patStates = []string{account.StateActive, "inactive", account.StateRevoked, account.StateExpired}

// patOrders are NOMAD's order_by values (nomad/auth/pat/ports.py
// PATSortOrder), each a field and a direction.
var patOrders = []string{"created_asc", "created_desc", "expires_asc", "expires_desc",
	"last_used_asc", "last_used_desc", "name_asc", "name_desc"}

// Pagination bounds: NOMAD's default page size, and the largest the hub
// answers.
const (
	defaultPageSize = 10
	maxPageSize     = 1000
)

// patQuery is the filter of a PAT list, echoed back as NOMAD does.
type patQuery struct {
	Search  *string `json:"search"`
	Revoked *bool   `json:"revoked"`
	State   *string `json:"state"`
}

// pagination is NOMAD's PaginationResponse (nomad/app/v1/models).
type pagination struct {
	PageSize           int     `json:"page_size"`
	OrderBy            string  `json:"order_by"`
	Order              string  `json:"order"`
	PageAfterValue     *string `json:"page_after_value"`
	Page               int     `json:"page"`
	PageOffset         *int    `json:"page_offset"`
	Total              int     `json:"total"`
	NextPageAfterValue *string `json:"next_page_after_value"`
	PageURL            string  `json:"page_url"`
	NextPageURL        *string `json:"next_page_url"`
	PrevPageURL        *string `json:"prev_page_url"`
	FirstPageURL       *string `json:"first_page_url"`

	start int // the index of the page's first item
}

// parsePATQuery reads the filter and the pagination of a PAT list; a bad
// value is an invalid naming it and the values it may take.
func parsePATQuery(q url.Values) (patQuery, pagination, error) {
	var f patQuery
	p := pagination{PageSize: defaultPageSize, OrderBy: "created_desc", Order: "asc"}
	if v, ok := first(q, "search"); ok {
		f.Search = &v
	}
	if v, ok := first(q, "revoked"); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, p, invalidField("bool_parsing", "Input should be a valid boolean", v, "query", "revoked")
		}
		f.Revoked = &b
	}
	if v, ok := first(q, "state"); ok {
		if !slices.Contains(patStates, v) {
			return f, p, invalidField("literal_error", "Input should be "+oneOf(patStates), v, "query", "state")
		}
		f.State = &v
	}
	if v, ok := first(q, "order_by"); ok {
		if !slices.Contains(patOrders, v) {
			return f, p, invalidField("literal_error", "Input should be "+oneOf(patOrders), v, "query", "order_by")
		}
		p.OrderBy = v
	}
	err := p.readPosition(q)
	return f, p, err
}

// maxStart bounds the index of a page's first token: with page_size
// (at most maxPageSize) added it fits an int of 32 bits, and it is far
// past any user's tokens (a page there is NOMAD's 400 "Page out of range").
const maxStart = 1 << 30

// readPosition reads page_size and one of page, page_offset and
// page_after_value, as NOMAD's Pagination validates them. The start is
// computed in int64 and bounded by maxStart.
func (p *pagination) readPosition(q url.Values) error {
	var err error
	if p.PageSize, err = intParam(q, "page_size", defaultPageSize, 0, maxPageSize); err != nil {
		return err
	}
	page, err := intParam(q, "page", 0, 1, maxStart)
	if err != nil {
		return err
	}
	offset, err := intParam(q, "page_offset", -1, 0, maxStart)
	if err != nil {
		return err
	}
	after, err := intParam(q, "page_after_value", -2, -1, maxStart)
	if err != nil {
		return err
	}
	if (page > 0 && offset >= 0) || (page > 0 && after >= -1) || (offset >= 0 && after >= -1) {
		return invalidField("value_error", "Can only specify one `page_offset`, `page`, or `page_after_value`", nil, "query")
	}
	switch {
	case offset >= 0:
		p.start, p.PageOffset = offset, &offset
	case page > 0:
		p.start = int(min(int64(page-1)*int64(p.PageSize), maxStart))
	case after >= -1:
		p.start = min(after+1, maxStart)
	}
	return nil
}

// first returns the first value of the parameter name.
func first(q url.Values, name string) (string, bool) {
	v, ok := q[name]
	if !ok {
		return "", false
	}
	return v[0], true
}

// intParam reads an integer parameter from lo to hi; def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v, ok := first(q, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		return 0, invalidField("int_parsing", "Input should be a valid integer", v, "query", name)
	case n < lo:
		return 0, invalidField("greater_than_equal", "Input should be greater than or equal to "+strconv.Itoa(lo), v, "query", name)
	case n > hi:
		return 0, invalidField("less_than_equal", "Input should be less than or equal to "+strconv.Itoa(hi), v, "query", name)
	}
	return n, nil
}

// oneOf lists values as pydantic's literal errors do: 'a', 'b' or 'c'.
func oneOf(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "'" + v + "'"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// match reports whether t passes the filter at now.
func (f patQuery) match(t storage.PersonalToken, now time.Time) bool {
	state := account.State(t, now)
	switch {
	case f.Search != nil && !strings.Contains(strings.ToLower(t.Name), strings.ToLower(*f.Search)):
		return false
	case f.Revoked != nil && *f.Revoked != (state == account.StateRevoked):
		return false
	case f.State == nil:
		return true
	case *f.State == "inactive":
		return state != account.StateActive
	}
	return state == *f.State
}

// sortPATs orders ts by order (a patOrders value), then by id.
func sortPATs(ts []storage.PersonalToken, order string) {
	field, dir, _ := strings.Cut(order, "_")
	if field == "last" {
		field, dir = "last_used", strings.TrimPrefix(dir, "used_")
	}
	slices.SortStableFunc(ts, func(a, b storage.PersonalToken) int {
		var c int
		switch field {
		case "created":
			c = a.CreatedAt.Compare(b.CreatedAt)
		case "expires":
			c = a.ExpiresAt.Compare(b.ExpiresAt)
		case "last_used":
			c = a.LastUsedAt.Compare(b.LastUsedAt)
		case "name":
			c = strings.Compare(a.Name, b.Name)
		}
		if dir == "desc" {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
}
