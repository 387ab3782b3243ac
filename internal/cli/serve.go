package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/logsink"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// ServeOptions are the inputs of `hubauth serve`.
type ServeOptions struct {
	IO           *IOStreams
	Ctx          context.Context
	Now          func() time.Time
	OpenStore    func(ctx context.Context, db string) (storage.Storage, error)
	HashPassword func(ctx context.Context, pw string) (string, error)

	Addr           string
	Issuer         string
	DB             string
	Dev            bool
	LogFormat      string
	AccessTokenTTL time.Duration
	RefreshGrace   time.Duration
	AppTokenMax    time.Duration
	// AppTokenNoExpiry allows personal tokens that never expire.
	AppTokenNoExpiry bool
	NomadGetToken    bool
	// TrustedProxies are the --trusted-proxy networks (CIDR or single
	// addresses) whose forwarding headers name the client.
	TrustedProxies []string
	// NoPasswordLogin turns off sign-in with a password stored at the
	// hub (--password-login=false): a federated-only hub.
	NoPasswordLogin bool
	// RequireMFA is --require-mfa: who must sign in with a second factor.
	RequireMFA string

	// Listening, if set, is told the address once the server accepts
	// connections (tests use it).
	Listening func(addr string)
	// GOGC is the GOGC environment variable; when empty, serve runs the
	// collector at 400% (see tuneGC).
	GOGC string
}

// NewCmdServe returns `hubauth serve`.
func NewCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams, Now: f.Now, OpenStore: f.OpenStore, HashPassword: f.HashPassword, GOGC: f.Getenv("GOGC")}
	passwordLogin := true
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the hubauth OpenID Connect provider",
		Long: "Run the OpenID Connect provider: login, device and account pages, the token\n" +
			"endpoints, and the NOMAD-compatible /api/v1/auth endpoints. The database is\n" +
			"--db (or HUBAUTH_DB), by default the SQLite file hubauth.db in the data directory.\n" +
			"--dev also creates a user \"demo\" and prints its password once.\n" +
			"--password-login=false turns off the passwords stored at the hub: users sign in\n" +
			"only through the upstream providers (hubauth admin idp).",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			opts.NoPasswordLogin = !passwordLogin
			if _, err := mfa.ParsePolicy(opts.RequireMFA); err != nil {
				return cmdutil.UsageErrorf("--require-mfa: %q is not off, admins or all", opts.RequireMFA)
			}
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&opts.Issuer, "issuer", "", "public base URL (default http://ADDR)")
	fl.StringVar(&opts.DB, "db", "", "database: sqlite:PATH or postgres://… (default $HUBAUTH_DB, then hubauth.db in the data directory)")
	fl.BoolVar(&opts.Dev, "dev", false, "development mode: create the user demo with a printed password; allow an http issuer")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "log format: text or json")
	fl.DurationVar(&opts.AccessTokenTTL, "access-token-ttl", 15*time.Minute, "lifetime of access tokens")
	fl.DurationVar(&opts.RefreshGrace, "refresh-grace", 10*time.Second, "how long a rotated refresh token may be presented again (parallel clients)")
	fl.DurationVar(&opts.AppTokenMax, "app-token-max", 720*time.Hour, "longest lifetime of personal (app) tokens")
	fl.BoolVar(&opts.AppTokenNoExpiry, "app-token-no-expiry", false, "also allow personal tokens that never expire")
	fl.BoolVar(&opts.NomadGetToken, "nomad-get-token", true, "accept GET /api/v1/auth/token with the password in the query (NOMAD compatibility)")
	fl.BoolVar(&passwordLogin, "password-login", true, "offer sign-in with a password stored at the hub; =false: a federated-only hub, users sign in through the upstream providers (admin idp)")
	fl.StringVar(&opts.RequireMFA, "require-mfa", "off", "who must sign in with a second factor: off, admins or all (users without one set it up right after the password)")
	fl.StringArrayVar(&opts.TrustedProxies, "trusted-proxy", nil, "CIDR of a reverse proxy whose X-Forwarded-For or Forwarded header names the client (repeatable)")
	return cmd
}

func serveRun(opts *ServeOptions) error {
	sink := logsink.New(opts.IO.ErrOut)
	defer sink.Close() // last: the server logs until it has stopped
	log, err := newLogger(opts, sink)
	if err != nil {
		return err
	}
	proxies, err := parseTrustedProxies(opts.TrustedProxies)
	if err != nil {
		return err
	}
	tuneGC(opts.GOGC)
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	defer ln.Close()
	if opts.Issuer == "" {
		opts.Issuer = "http://" + ln.Addr().String()
	}
	store, err := opts.OpenStore(opts.Ctx, opts.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	srv, err := server.New(opts.Ctx, serverConfig(opts, store, log, proxies))
	if err != nil {
		return err
	}
	defer srv.Close()
	if opts.Dev {
		if err := ensureDemoUser(opts, store, sink); err != nil {
			return err
		}
	}
	return serve(opts, ln, srv, log)
}

// serverConfig is the server's configuration from serve's options.
func serverConfig(opts *ServeOptions, store storage.Storage, log *slog.Logger, proxies []netip.Prefix) server.Config {
	return server.Config{
		Issuer: opts.Issuer, Store: store, Logger: log, Now: opts.Now,
		AccessTokenTTL: opts.AccessTokenTTL, RefreshGrace: opts.RefreshGrace, AppTokenMax: opts.AppTokenMax,
		AppTokenNoExpiry: opts.AppTokenNoExpiry, NomadGetToken: opts.NomadGetToken, AllowInsecureIssuer: opts.Dev,
		TrustedProxies: proxies, DisablePasswordLogin: opts.NoPasswordLogin, RequireMFA: requireMFA(opts.RequireMFA),
	}
}

// parseTrustedProxies reads --trusted-proxy values: networks in CIDR
// notation, or single addresses.
func parseTrustedProxies(values []string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for _, v := range values {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			ip, ierr := netip.ParseAddr(v)
			if ierr != nil {
				return nil, cmdutil.UsageErrorf("--trusted-proxy %q is not a network in CIDR notation (10.0.0.0/8, 2001:db8::/32) or an IP address", v)
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		prefixes = append(prefixes, p)
	}
	return prefixes, nil
}

// newLogger logs to out in the --log-format.
func newLogger(opts *ServeOptions, out io.Writer) (*slog.Logger, error) {
	var h slog.Handler
	switch opts.LogFormat {
	case "text":
		h = slog.NewTextHandler(out, nil)
	case "json":
		h = slog.NewJSONHandler(out, nil)
	default:
		return nil, cmdutil.UsageErrorf("--log-format must be text or json, not %q", opts.LogFormat)
	}
	log := slog.New(h)
	slog.SetDefault(log) // the OIDC library logs through the default logger
	return log, nil
}

// tuneGC runs the garbage collector less often than Go's default unless
// GOGC is set: the hub's live heap is a few MiB, so at the default 100% it
// collects hundreds of times a second under load. At 400% refresh grants
// went from about 2,100/s to 2,400/s (p99 from 58 ms to 47 ms) on the
// 2-core benchmark machine, for a heap of about 50 MiB under load; the soft
// memory limit keeps a burst from growing it further.
func tuneGC(gogc string) {
	if gogc != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
}

// serve serves on ln until the command's context ends (SIGINT,
// SIGTERM), then shuts down gracefully: in-flight requests finish.
func serve(opts *ServeOptions, ln net.Listener, srv *server.Server, log *slog.Logger) error {
	hs := &http.Server{
		Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ctx, stop := context.WithCancel(opts.Ctx)
	defer stop()
	go srv.CollectGarbage(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("hubauth serving", "addr", ln.Addr().String(), "issuer", opts.Issuer)
	if opts.Listening != nil {
		opts.Listening(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// demoUsername is the user `serve --dev` creates.
const demoUsername = "demo"

// ensureDemoUser creates the demo user with a random password, printed
// this once; an existing demo user is left alone, which it says on
// errOut (the log's destination, so the lines keep their order).
func ensureDemoUser(opts *ServeOptions, store storage.Storage, errOut io.Writer) error {
	_, err := store.GetUserByUsername(opts.Ctx, demoUsername)
	if err == nil {
		fmt.Fprintf(errOut, "Dev mode: user %q exists (its password was printed when it was created;\n"+
			"set a new one with: hubauth admin user set-password %s --password-stdin).\n", demoUsername, demoUsername)
		return nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	pw := secret.Base62()[:20]
	demo := admin.NewUser{Username: demoUsername, Name: "Demo User", Email: "demo@example.org"}
	if _, err := admin.New(store, opts.Now, opts.HashPassword).AddUser(opts.Ctx, demo, pw); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Dev mode: created user %q with password %s (shown only this once)\n", demoUsername, pw)
	debug.FreeOSMemory() // hand the hash's 19 MiB back now, not minutes later
	return nil
}

// requireMFA is the --require-mfa policy; the command refused any other
// value before it ran.
func requireMFA(s string) mfa.Policy {
	p, _ := mfa.ParsePolicy(s)
	return p
}
