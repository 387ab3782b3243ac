package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock for the data hub.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// publish publishes an upload with an embargo of months.
func (d *datahub) publish(token, id string, months int) response {
	d.t.Helper()
	return d.do(http.MethodPost, fmt.Sprintf("/api/v1/uploads/%s/action/publish?embargo_length=%d", id, months), token, nil)
}

func TestDatasets(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	bob := h.addUser(t, "bob")
	h.addUser(t, "carol")
	clock := &testClock{now: time.Now()}
	d := newDatahubWith(t, h, func(o *options) { o.now = clock.Now })
	ada, bobToken, carol := h.token(t, "ada", ""), h.token(t, "bob", ""), h.token(t, "carol", "")
	d.create(ada, map[string]any{"upload_name": "draft water"})
	clock.Advance(time.Second)
	open := d.create(ada, map[string]any{"upload_name": "open water"})
	clock.Advance(time.Second)
	embargoed := d.create(ada, map[string]any{"upload_name": "embargoed ice", "reviewers": []string{bob}})
	if r := d.publish(ada, open.UploadID, 0); r.Status != http.StatusOK {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	if r := d.publish(ada, embargoed.UploadID, 3); r.Status != http.StatusOK {
		t.Fatalf("publish with embargo: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		who, token, query string
		want              []string
	}{
		{"anonymous", "", "", []string{"open water"}},
		{"carol (no role)", carol, "", []string{"open water"}},
		{"bob (reviewer)", bobToken, "", []string{"open water", "embargoed ice"}},
		{"ada (main author)", ada, "", []string{"draft water", "open water", "embargoed ice"}},
		{"ada, q=water", ada, "?q=water", []string{"draft water", "open water"}},
		{"ada, q=WATER", ada, "?q=WATER", []string{"draft water", "open water"}},
		{"ada, q=%", ada, "?q=%25", []string{}},
		{"anonymous, q=ice", "", "?q=ice", []string{}},
	} {
		if got := d.names("/api/v1/datasets"+tc.query, tc.token); !slices.Equal(got, tc.want) {
			t.Errorf("%s%s sees %q, want %q", tc.who, tc.query, got, tc.want)
		}
	}
	if r := d.do(http.MethodGet, "/api/v1/uploads/"+embargoed.UploadID, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("anonymous GET of an embargoed upload: %d, want 404", r.Status)
	}
	if r := d.publish(bobToken, embargoed.UploadID, 0); r.Status != http.StatusForbidden {
		t.Errorf("a reviewer publishes: %d %s, want 403", r.Status, r.Body)
	}
	if r := d.publish(ada, open.UploadID, 0); r.Status != http.StatusConflict {
		t.Errorf("publish twice: %d %s, want 409", r.Status, r.Body)
	}
	clock.Advance(100 * 24 * time.Hour) // the embargo of 3 months is over
	if got := d.names("/api/v1/datasets", ""); !slices.Equal(got, []string{"open water", "embargoed ice"}) {
		t.Errorf("after the embargo, anonymous sees %q", got)
	}
	var one single
	r := d.do(http.MethodGet, "/api/v1/uploads/"+embargoed.UploadID, "", nil)
	r.decode(t, &one)
	if r.Status != http.StatusOK || one.Data.WithEmbargo || !one.Data.Published || one.Data.EmbargoLength != 3 {
		t.Errorf("after the embargo: %d %+v", r.Status, one.Data)
	}
}

func TestPagination(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahub(t, h)
	ada := h.token(t, "ada", "")
	for i := range 5 {
		d.create(ada, map[string]any{"upload_name": fmt.Sprintf("u%d", i)})
	}
	r := d.do(http.MethodGet, "/api/v1/uploads?page_size=2&page=2&order_by=upload_name&order=desc", ada, nil)
	var p page
	r.decode(t, &p)
	names := []string{}
	for _, u := range p.Data {
		names = append(names, u.UploadName)
	}
	pg := p.Pagination
	if !slices.Equal(names, []string{"u2", "u1"}) || pg.Total != 5 || pg.Page != 2 || pg.PageSize != 2 ||
		pg.OrderBy != "upload_name" || pg.Order != "desc" || pg.PrevPageURL == nil || pg.NextPageURL == nil {
		t.Errorf("page 2 of 3: %q %+v", names, pg)
	}
	if got := d.names("/api/v1/uploads?page_size=2&page=3", ada); !slices.Equal(got, []string{"u4"}) {
		t.Errorf("last page: %q", got)
	}
	r = d.do(http.MethodGet, "/api/v1/uploads?page_size=0", ada, nil)
	r.decode(t, &p)
	if len(p.Data) != 0 || p.Pagination.Total != 5 || p.Data == nil {
		t.Errorf("page_size=0: %s, want only the total and data []", r.Body)
	}
}
