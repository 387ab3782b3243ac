package compat

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
)

// finish sets the total, the page and the values and links to other
// pages, as NOMAD's populate_simple_index_and_urls does; a page past the
// results is NOMAD's 400 "Page out of range requested.". Links are
// absolute, on base (the hub's public URL), keeping the request's other
// parameters.
func (p *pagination) finish(total int, base string, u *url.URL) error {
	p.Total = total
	if p.PageSize == 0 {
		p.Page = 1
	} else {
		p.Page = p.start/p.PageSize + 1
		if p.Page > 1 {
			p.PageAfterValue = ptr(strconv.Itoa(p.start - 1))
		}
		if p.PageSize*p.Page < total {
			p.NextPageAfterValue = ptr(strconv.Itoa(p.start + p.PageSize - 1))
		}
		if (total == 0 && p.Page != 1) || (total > 0 && total <= (p.Page-1)*p.PageSize) {
			return jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "Page out of range requested.")
		}
	}
	p.links(base, u)
	return nil
}

// links sets page_url, first_page_url, next_page_url and prev_page_url.
func (p *pagination) links(base string, u *url.URL) {
	link := func(set map[string]string) string {
		q := u.Query()
		for _, k := range []string{"page", "page_after_value", "page_offset"} {
			q.Del(k)
		}
		for k, v := range set {
			q.Set(k, v)
		}
		if len(q) == 0 {
			return base + u.Path
		}
		return base + u.Path + "?" + q.Encode()
	}
	p.PageURL = base + u.RequestURI()
	if p.PageSize > 0 {
		p.FirstPageURL = ptr(link(nil))
	}
	if p.NextPageAfterValue != nil {
		p.NextPageURL = ptr(link(map[string]string{"page_after_value": *p.NextPageAfterValue}))
	}
	if p.Page > 1 {
		p.PrevPageURL = ptr(link(map[string]string{"page": strconv.Itoa(p.Page - 1)}))
	}
}

func ptr[T any](v T) *T { return &v }
