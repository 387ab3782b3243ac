package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

// checkExchange: exchange audiences go with the token-exchange grant, and
// each is an API URI (audience.CheckURI).
func checkExchange(grants, audiences []string) error {
	has := slices.Contains(grants, storage.GrantTokenExchange)
	switch {
	case has && len(audiences) == 0:
		return errors.New("--grant token-exchange needs at least one --exchange-audience: the URI of an API the client may call for a user")
	case !has && len(audiences) > 0:
		return errors.New("--exchange-audience needs --grant token-exchange")
	}
	for _, u := range audiences {
		if err := audience.CheckURI(u); err != nil {
			return fmt.Errorf("--exchange-audience %s: %w", names.Quote(u), err)
		}
	}
	return nil
}

// checkExchangeAudiences refuses a URI no registered API has.
func (a *Admin) checkExchangeAudiences(ctx context.Context, audiences []string) error {
	if len(audiences) == 0 {
		return nil
	}
	apis, err := a.store.ListAPIs(ctx)
	if err != nil {
		return err
	}
	for _, u := range audiences {
		if !slices.ContainsFunc(apis, func(api storage.API) bool { return api.URI == u }) {
			return invalid(fmt.Errorf("no registered API has the URI %s: add it first with hubauth admin api add", names.Quote(u)))
		}
	}
	return nil
}

// SetClientExchange lets a confidential client exchange users' tokens for
// the APIs at audiences (RFC 8693), adding the token-exchange grant, or
// with no audiences takes the grant away; audited.
func (a *Admin) SetClientExchange(ctx context.Context, id string, audiences []string) error {
	audiences = names.Dedupe(audiences)
	for _, u := range audiences {
		if err := audience.CheckURI(u); err != nil {
			return invalid(fmt.Errorf("%s: %w", names.Quote(u), err))
		}
	}
	if err := a.checkExchangeAudiences(ctx, audiences); err != nil {
		return err
	}
	err := a.store.UpdateClient(ctx, id, func(c storage.Client) (storage.Client, error) {
		if c.Public && len(audiences) > 0 {
			return c, invalid(fmt.Errorf("client %s is public: token exchange needs a confidential client", names.Quote(id)))
		}
		c.GrantTypes = slices.DeleteFunc(c.GrantTypes, func(g string) bool { return g == storage.GrantTokenExchange })
		if len(audiences) > 0 {
			c.GrantTypes = append(c.GrantTypes, storage.GrantTokenExchange)
		}
		c.ExchangeAudiences = audiences
		return c, nil
	})
	if err != nil {
		return describe(err, "client", id)
	}
	what := "none (token exchange off)"
	if len(audiences) > 0 {
		what = strings.Join(audiences, " ")
	}
	return a.audit(ctx, storage.AuditEvent{ClientID: id, Detail: "set exchange audiences of client " + id + ": " + what})
}
