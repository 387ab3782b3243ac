package resource_test

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/hubauth/hubauth/resource"
)

// A data API protected in ten lines: public reads for anyone, the caller's
// own uploads for a valid hubauth token, writes only with the scope.
func Example() {
	ctx := context.Background()
	auth, err := resource.New(ctx, resource.Config{
		Issuer:         "https://auth.example.org",
		URL:            "https://data.example.org", // tokens must be for this API: aud (hubauth admin api add)
		Scopes:         []string{"uploads:read", "uploads:write"},
		ClientID:       "datahub", // the API's own client, to check personal tokens
		ClientSecret:   os.Getenv("DATAHUB_CLIENT_SECRET"),
		AllowAnonymous: true, // requests without a token see public data
	})
	if err != nil {
		log.Fatal(err)
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/datasets", listDatasets)
	api.Handle("GET /api/v1/uploads", resource.RequireCaller(http.HandlerFunc(listUploads)))
	api.Handle("POST /api/v1/uploads", resource.RequireScope("uploads:write", http.HandlerFunc(createUpload)))
	mux := http.NewServeMux()
	mux.Handle("GET "+auth.MetadataPath(), auth.Metadata()) // RFC 9728: clients find the hub here
	mux.Handle("/", auth.Handler(api))
	log.Fatal(http.ListenAndServe("127.0.0.1:8081", mux))
}

func listUploads(w http.ResponseWriter, r *http.Request) {
	caller, _ := resource.CallerFrom(r.Context()) // always there behind RequireCaller
	json.NewEncoder(w).Encode(map[string]any{"main_author": caller.Subject, "groups": caller.Groups})
}

func listDatasets(w http.ResponseWriter, r *http.Request) {
	if caller, ok := resource.CallerFrom(r.Context()); ok {
		log.Printf("datasets for %s", caller.Subject) // public ones, and those shared with the caller
	}
}

func createUpload(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) }

// Verify checks a token that did not come in an Authorization header, for
// example in a WebSocket's first message.
func ExampleMiddleware_Verify() {
	ctx := context.Background()
	auth, err := resource.New(ctx, resource.Config{Issuer: "https://auth.example.org", URL: "https://data.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	caller, err := auth.Verify(ctx, os.Getenv("TOKEN"))
	if err != nil {
		log.Fatal(err) // errors.Is(err, resource.ErrInvalidToken) or resource.ErrUnavailable
	}
	log.Printf("%s with scopes %v", caller.Subject, caller.Scopes)
}

// A data API's own dashboard: Swagger UI for its OpenAPI document, whose
// Authorize button logs the user in at the hub (authorization code with
// PKCE) with a public client the hub's operator registered:
//
//	hubauth admin client add datahub-docs --name "Data hub API dashboard" --public \
//		--redirect-uri https://data.example.org/api/v1/docs/oauth2-redirect.html \
//		--scopes openid,uploads:read,uploads:write
func ExampleMiddleware_Dashboard() {
	ctx := context.Background()
	auth, err := resource.New(ctx, resource.Config{Issuer: "https://auth.example.org", URL: "https://data.example.org", AllowAnonymous: true})
	if err != nil {
		log.Fatal(err)
	}
	doc, err := os.ReadFile("openapi.json") // or //go:embed; OAuth URLs left "" are filled in
	if err != nil {
		log.Fatal(err)
	}
	docs, err := auth.Dashboard(resource.DashboardConfig{
		Path: "/api/v1/docs/", Document: doc, ClientID: "datahub-docs", Scopes: []string{"uploads:read"},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/docs/", docs)
	mux.Handle("GET /api/v1/uploads", resource.RequireScope("uploads:read", http.HandlerFunc(listUploads)))
	log.Fatal(http.ListenAndServe("127.0.0.1:8081", auth.Handler(mux)))
}
