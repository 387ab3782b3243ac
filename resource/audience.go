package resource

import (
	"slices"
	"strings"
)

// checkAudience refuses a token whose aud names none of the API's
// audiences (Config.Audience), unless Config.AnyAudience. The description
// says what the token was for, so that its holder can ask the hub for a
// token for this API instead.
func (m *Middleware) checkAudience(aud []string) error {
	if m.cfg.AnyAudience || slices.ContainsFunc(aud, m.isAudience) {
		return nil
	}
	if len(aud) == 0 {
		return invalid("the token names no audience: this API accepts only tokens meant for %s", m.audienceText())
	}
	return invalid("the token is meant for %s, not for this API (%s): ask the hub for a token for this API (resource=%s)",
		quoteList(aud), m.audienceText(), m.cfg.Audience[0])
}

// isAudience reports whether aud is one of the API's audiences.
func (m *Middleware) isAudience(aud string) bool { return slices.Contains(m.cfg.Audience, aud) }

// audienceText lists the API's audiences for an error description.
func (m *Middleware) audienceText() string { return quoteList(m.cfg.Audience) }

// quoteList quotes up to three values, clipped, for an error description.
func quoteList(values []string) string {
	q := make([]string, 0, 3)
	for _, v := range values[:min(len(values), 3)] {
		q = append(q, `"`+clip(v)+`"`)
	}
	if len(values) > 3 {
		q = append(q, "...")
	}
	return strings.Join(q, ", ")
}
