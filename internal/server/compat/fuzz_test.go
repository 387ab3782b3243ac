package compat

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
)

// FuzzReadLogin: any body under any content type is either a login or a
// 400 (413 when too large), never a panic.
func FuzzReadLogin(f *testing.F) {
	f.Add("application/json", `{"username":"a","password":"b"}`)
	f.Add("application/x-www-form-urlencoded", "username=a&password=b")
	f.Add("application/x-www-form-urlencoded", "username=a&username=b")
	f.Add("application/json; charset=utf-8", `{"username":1}`)
	f.Add("multipart/form-data; boundary=x", "--x\r\n")
	f.Add("", "%zz")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/auth/token", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		_, err := readLogin(httptest.NewRecorder(), r)
		var e *jsonapi.Error
		if err != nil && (!errors.As(err, &e) || e.Status != http.StatusBadRequest && e.Status != http.StatusRequestEntityTooLarge) {
			t.Fatalf("readLogin error %v is not a 400", err)
		}
	})
}
