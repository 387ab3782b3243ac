package main

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// TestOpenAPIDocument loads the document the data hub's dashboard serves
// (the hub's endpoints filled in) and validates it with kin-openapi, and
// checks that it lists each of the data hub's routes.
func TestOpenAPIDocument(t *testing.T) {
	h := newHub(t)
	dh := newDatahub(t, h)
	resp, err := http.Get(dh.URL + docsPath + "openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %sopenapi.json: %d", docsPath, resp.StatusCode)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the served document is not valid OpenAPI: %v", err)
	}
	code := doc.Components.SecuritySchemes["hub"].Value.Flows.AuthorizationCode
	if code.AuthorizationURL != h.URL+"/authorize" || code.TokenURL != h.URL+"/oauth/token" {
		t.Errorf("authorization code flow: %q, %q; want the hub's endpoints", code.AuthorizationURL, code.TokenURL)
	}
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/uploads"}, {"GET", "/api/v1/uploads"}, {"GET", "/api/v1/uploads/{upload_id}"},
		{"POST", "/api/v1/uploads/{upload_id}/action/publish"}, {"GET", "/api/v1/datasets"},
	}
	for _, r := range routes {
		if item := doc.Paths.Find(r.path); item == nil || item.GetOperation(r.method) == nil {
			t.Errorf("the document lacks %s %s", r.method, r.path)
		}
	}
	if n := len(doc.Paths.Map()); n != 4 {
		t.Errorf("the document has %d paths, the data hub serves 4", n)
	}
}

// checkAnswer fails the test unless r, the data hub's answer to method
// path, is one its served document (the hub's endpoints filled in)
// describes: status, headers and body.
func (d *datahub) checkAnswer(method, path string, r response) {
	t := d.t
	t.Helper()
	resp, err := http.Get(d.URL + docsPath + "openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = nil // any host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, path, nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s is not in the document: %v", method, path, err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	out := &openapi3filter.ResponseValidationInput{Status: r.Status, Header: r.Header, Options: opts,
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}}
	out.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s answered %d %s, which the document does not describe: %v", method, path, r.Status, r.Body, err)
	}
}
