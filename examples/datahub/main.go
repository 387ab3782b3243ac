// Command datahub is a sample data API protected by hubauth's resource
// package: uploads with NOMAD's fields and access control, on SQLite.
//
//	go run ./examples/datahub --issuer http://127.0.0.1:8080 \
//		--public-url http://127.0.0.1:8081 [--any-audience] \
//		[--addr 127.0.0.1:8081] [--db datahub.db] \
//		[--client-id datahub --client-secret …] [--read-scope uploads:read] \
//		[--write-scope uploads:write] [--docs-client-id datahub-docs]
//
// --public-url is the data hub's URL as clients reach it: its resource
// identifier, which the hub's operator registers once,
//
//	hubauth admin api add datahub --uri http://127.0.0.1:8081 --scopes uploads:read,uploads:write
//
// so that the hub issues tokens for it with that URL as their audience
// (aud). datahub accepts only those: a token the user granted another
// application (aud: that client) or another API is refused with 401
// invalid_token. --audience names other accepted aud values instead.
// --any-audience accepts every token of the hub whatever its aud and
// decides by scope alone: for a hub where the data hub is not registered
// as an API (hubs before hubauth admin api), where any application the
// user signed in to can use the data hub with the user's scopes. datahub
// serves its protected-resource metadata (RFC 9728) at
// /.well-known/oauth-protected-resource, so that
// hubauth login --for http://127.0.0.1:8081 finds the hub.
//
// It requires NOMAD's data scopes: uploads:read to list and read private
// uploads, uploads:write to create and publish them (--read-scope and
// --write-scope change them; "" turns a check off). A token without one
// gets NOMAD's answer, 403 {"detail": "Missing scopes: ['uploads:write']"},
// with RFC 6750's insufficient_scope challenge. The hub's operator
// registers them once, and datahub warns at start while the hub does not
// grant them:
//
//	hubauth admin scope add uploads:read --description "see your uploads"
//	hubauth admin scope add uploads:write --description "create and publish uploads"
//
// The hub's access tokens for the data hub are accepted (JWTs, checked
// offline, their aud the --public-url); personal
// tokens (hubauth_pat_…) need the data hub's own confidential client at
// the hub, for introspection: hubauth admin client add datahub --name
// "Data hub", then --client-id datahub and the printed secret in
// --client-secret or DATAHUB_CLIENT_SECRET. Groups, for roles given to a
// group, come from the hub's userinfo endpoint for tokens with the groups
// scope.
//
// The API dashboard (Swagger UI for the data hub's OpenAPI document,
// openapi.json) is at /api/v1/docs/; its Authorize button logs in at the
// hub with the public client --docs-client-id, which the hub's operator
// registers with the dashboard's redirect URI:
//
//	hubauth admin client add datahub-docs --name "Data hub API dashboard" --public \
//		--redirect-uri http://127.0.0.1:8081/api/v1/docs/oauth2-redirect.html \
//		--scopes openid,uploads:read,uploads:write
//
// NOMAD's "Checking Uploads" snippet works against it with the base URLs
// changed: the token from the hub, the uploads from here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hubauth/hubauth/resource"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// options are the command line.
type options struct {
	issuer, addr, db        string
	clientID, clientSecret  string
	audience                string // comma-separated
	anyAudience             bool
	readScope, writeScope   string
	docsClientID, publicURL string
	introspectionTTL        time.Duration
	userInfo                bool
	now                     func() time.Time // tests pin the clock; default time.Now
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("datahub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.issuer, "issuer", "", "the hub's issuer URL (required), e.g. http://127.0.0.1:8080")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8081", "address to listen on")
	fs.StringVar(&o.db, "db", "datahub.db", "SQLite database file")
	fs.StringVar(&o.clientID, "client-id", "", "the data hub's confidential client at the hub, to introspect personal tokens")
	fs.StringVar(&o.clientSecret, "client-secret", "", "its secret (default $DATAHUB_CLIENT_SECRET)")
	fs.StringVar(&o.audience, "audience", "", "accept only tokens whose aud is one of these comma-separated values (default: --public-url)")
	fs.BoolVar(&o.anyAudience, "any-audience", false, "accept every token of the hub whatever its aud, deciding by scope alone (a hub where the data hub is not registered as an API)")
	fs.StringVar(&o.readScope, "read-scope", "uploads:read", "scope needed to list and read private uploads (\"\": none)")
	fs.StringVar(&o.writeScope, "write-scope", "uploads:write", "scope needed to create and publish uploads (\"\": none)")
	fs.StringVar(&o.docsClientID, "docs-client-id", "datahub-docs", "the API dashboard's public client at the hub (\"\": no dashboard)")
	fs.StringVar(&o.publicURL, "public-url", "", "the data hub's URL as clients reach it: its audience, its metadata's resource and the dashboard's redirect URI's base")
	fs.DurationVar(&o.introspectionTTL, "introspection-ttl", resource.DefaultIntrospectionCacheTTL, "how long a personal token's check is reused")
	fs.BoolVar(&o.userInfo, "userinfo", true, "read the caller's username and groups from the hub's userinfo endpoint")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.clientSecret == "" {
		o.clientSecret = getenv("DATAHUB_CLIENT_SECRET")
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.issuer == "":
		return o, errors.New("--issuer is required: the hub's URL, e.g. --issuer http://127.0.0.1:8080")
	case o.clientID != "" && o.clientSecret == "":
		return o, errors.New("--client-id needs --client-secret (or DATAHUB_CLIENT_SECRET)")
	case !validScope(o.readScope) || !validScope(o.writeScope):
		return o, errors.New("--read-scope and --write-scope take one scope each, without spaces or quotes")
	case o.publicURL == "" && o.audience == "" && !o.anyAudience:
		return o, errors.New("--public-url is required: the data hub's URL as clients reach it, registered at the hub with hubauth admin api add datahub --uri URL (or --any-audience to accept every token of the hub)")
	case o.anyAudience && o.audience != "":
		return o, errors.New("--any-audience and --audience contradict each other: give one")
	}
	return o, nil
}

// validScope reports whether s is empty or one scope token (RFC 6749 §3.3).
func validScope(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' })
}

// run serves until ctx ends; it returns the exit code (2: usage).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	o, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "datahub:", err)
		return 2
	}
	h, closeStore, err := build(ctx, o, log)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer closeStore()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintln(stderr, "datahub:", err)
		return 1
	}
	fmt.Fprintf(stdout, "datahub listening on http://%s (issuer %s)\n", ln.Addr(), o.issuer)
	warnUnregistered(ctx, o, log)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "datahub:", err)
		return 1
	}
	return 0
}

// build opens the database and wires the middleware in front of the API.
func build(ctx context.Context, o options, log *slog.Logger) (http.Handler, func() error, error) {
	auth, err := resource.New(ctx, resource.Config{
		Issuer: o.issuer, URL: o.publicURL, Audience: splitList(o.audience), AnyAudience: o.anyAudience,
		Scopes: o.required(), Name: "Data hub",
		ClientID: o.clientID, ClientSecret: o.clientSecret,
		IntrospectionCacheTTL: o.introspectionTTL, UserInfo: o.userInfo, AllowAnonymous: true, Realm: "datahub",
	})
	if err != nil {
		return nil, nil, fmt.Errorf("datahub: %w", err)
	}
	st, err := openStore(ctx, o.db)
	if err != nil {
		return nil, nil, err
	}
	dir, _ := filepath.Abs(filepath.Dir(o.db))
	if o.now == nil {
		o.now = time.Now
	}
	a := &api{store: st, filesDir: filepath.Join(dir, "fs"), readScope: o.readScope, writeScope: o.writeScope,
		now: o.now, log: log}
	if a.docs, err = dashboard(auth, o); err != nil {
		st.Close()
		return nil, nil, err
	}
	mux := http.NewServeMux()
	if o.publicURL != "" {
		mux.Handle("GET "+auth.MetadataPath(), auth.Metadata())
	}
	mux.Handle("/", auth.Handler(a.routes()))
	return mux, st.Close, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
