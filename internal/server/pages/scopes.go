package pages

type scopeView struct{ Name, Description string }

var scopeDescriptions = map[string]string{
	"openid":         "know who you are",
	"profile":        "see your name and username",
	"email":          "see your email address",
	"groups":         "see the groups you belong to",
	"offline_access": "stay signed in until you sign out",
	"tokens:read":    "list your personal tokens",
	"tokens:write":   "create and revoke your personal tokens",
	"users:read":     "look up other users",
	"groups:read":    "see the members of your groups",
}

func describeScopes(scopes []string) []scopeView {
	out := make([]scopeView, 0, len(scopes))
	for _, s := range scopes {
		d, ok := scopeDescriptions[s]
		if !ok {
			d = "use this permission of the platform's API"
		}
		out = append(out, scopeView{Name: s, Description: d})
	}
	return out
}
