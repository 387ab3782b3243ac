package hubtest

import (
	"net/http"
	"testing"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// Option changes how New starts a hub, or adds what it holds.
type Option func(*options)

type options struct {
	store     storage.Storage
	issuer    string
	localhost bool
	configs   []func(*server.Config)
	wraps     []func(http.Handler) http.Handler
	seeds     []func(testing.TB, *Hub)
	// noAPICheck turns CheckAPI off.
	noAPICheck bool
}

// WithStore serves the hub over store (e.g. PostgreSQL) instead of a fresh
// SQLite file; the caller closes it.
func WithStore(store storage.Storage) Option {
	return func(o *options) { o.store = store }
}

// WithIssuer sets the issuer, e.g. another node's URL as behind a load
// balancer; by default the hub's own URL.
func WithIssuer(issuer string) Option {
	return func(o *options) { o.issuer = issuer }
}

// WithLocalhost serves the hub at http://localhost:PORT rather than
// http://127.0.0.1:PORT: a second hub in the same browser, such as an
// upstream provider, whose cookies must not mix with the first's (browsers
// and cookie jars keep cookies per host name, whatever the port).
func WithLocalhost() Option {
	return func(o *options) { o.localhost = true }
}

// WithConfig changes the server's configuration before it starts, in order.
func WithConfig(change ...func(*server.Config)) Option {
	return func(o *options) { o.configs = append(o.configs, change...) }
}

// WithHandler wraps the hub's handler, e.g. to count the requests it
// receives; the first wrap is innermost.
func WithHandler(wrap func(http.Handler) http.Handler) Option {
	return func(o *options) { o.wraps = append(o.wraps, wrap) }
}

// WithoutAPICheck serves the hub without CheckAPI, e.g. for a load test
// that measures the hub alone; benchmarks never check.
func WithoutAPICheck() Option {
	return func(o *options) { o.noAPICheck = true }
}

// WithUser creates a user with a password, member of groups (created when
// missing); its id is in Hub.Users.
func WithUser(username, pw string, groups ...string) Option {
	return seed(func(t testing.TB, h *Hub) { h.Users[username] = h.AddUser(t, username, pw, groups...) })
}

// WithClient registers a client as AddClient does; a confidential client's
// secret is in Hub.Secrets.
func WithClient(c storage.Client) Option {
	return seed(func(t testing.TB, h *Hub) {
		if sec := h.AddClient(t, c); sec != "" {
			h.Secrets[c.ID] = sec
		}
	})
}

// WithScope registers a scope of the platform's own API.
func WithScope(name, description string) Option {
	return seed(func(t testing.TB, h *Hub) { h.AddScope(t, name, description) })
}

// seed adds something to the hub once it runs, in the options' order.
func seed(add func(testing.TB, *Hub)) Option {
	return func(o *options) { o.seeds = append(o.seeds, add) }
}
