package main

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// pagination is NOMAD's pagination block: the request's page_size,
// order_by, order and page, and the total with links to other pages.
type pagination struct {
	PageSize     int     `json:"page_size"`
	OrderBy      string  `json:"order_by"`
	Order        string  `json:"order"`
	Page         int     `json:"page"`
	Total        int     `json:"total"`
	PageURL      string  `json:"page_url"`
	FirstPageURL string  `json:"first_page_url"`
	PrevPageURL  *string `json:"prev_page_url"`
	NextPageURL  *string `json:"next_page_url"`
}

// Pagination bounds. page_size 0 answers only the total, as NOMAD does.
const (
	defaultPageSize = 10
	maxPageSize     = 1000
	maxPage         = 1_000_000
)

// orderBys are the fields a list may be sorted on (and the only text put
// into SQL from a request).
var orderBys = []string{"upload_create_time", "upload_name"}

// parsePagination reads page_size, page, order_by and order from a query
// string; a bad value is an error for a 422 naming it.
func parsePagination(rawQuery string) (pagination, error) {
	p := pagination{PageSize: defaultPageSize, Page: 1, OrderBy: orderBys[0], Order: "asc"}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return p, errors.New("the query string is malformed")
	}
	for _, name := range []string{"page_size", "page", "order_by", "order"} {
		if len(q[name]) > 1 {
			return p, fmt.Errorf("%s is given %d times", name, len(q[name]))
		}
	}
	if p.PageSize, err = intParam(q, "page_size", defaultPageSize, 0, maxPageSize); err != nil {
		return p, err
	}
	if p.Page, err = intParam(q, "page", 1, 1, maxPage); err != nil {
		return p, err
	}
	if v := q.Get("order_by"); v != "" {
		if !slices.Contains(orderBys, v) {
			return p, fmt.Errorf("order_by must be one of %v", orderBys)
		}
		p.OrderBy = v
	}
	if v := q.Get("order"); v != "" {
		if v != "asc" && v != "desc" {
			return p, fmt.Errorf("order must be asc or desc")
		}
		p.Order = v
	}
	return p, nil
}

// intParam reads an integer parameter from lo to hi.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

// finish sets the total and the links, relative to the request's path,
// keeping its other parameters.
func (p *pagination) finish(total int, u *url.URL) {
	p.Total = total
	link := func(page int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(page))
		q.Set("page_size", strconv.Itoa(p.PageSize))
		return u.Path + "?" + q.Encode()
	}
	p.PageURL, p.FirstPageURL = link(p.Page), link(1)
	if p.Page > 1 {
		prev := link(p.Page - 1)
		p.PrevPageURL = &prev
	}
	if p.PageSize > 0 && p.Page*p.PageSize < total {
		next := link(p.Page + 1)
		p.NextPageURL = &next
	}
}
