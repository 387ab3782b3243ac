package client

import (
	"context"
	"errors"
	"net/url"
)

// A User is a hub user as the JSON API shows one (CAVE's
// get_user_information and get_group_users).
type User struct {
	// ID is the user's stable id, the OIDC sub.
	ID string `json:"id"`
	// Username is the unique login name.
	Username string `json:"username"`
	Name     string `json:"name"`
	// Email is shown only to the user themself and to admins; else "".
	Email string `json:"email,omitempty"`
}

// Users looks users up by id and by username (GET /api/v1/users); one
// request takes at most 100 of both together. Users not found are left
// out of the answer, which is in the order of ids, then usernames, each
// user once.
func (c *Client) Users(ctx context.Context, ids, usernames []string) ([]User, error) {
	if len(ids)+len(usernames) == 0 {
		return nil, errors.New("client: no user id or username given")
	}
	q := url.Values{}
	for _, id := range ids {
		q.Add("id", id)
	}
	for _, name := range usernames {
		q.Add("username", name)
	}
	return apiList[User](ctx, c, "/users?"+q.Encode())
}

// Groups lists the names of the user's groups (GET /api/v1/groups).
func (c *Client) Groups(ctx context.Context) ([]string, error) {
	gs, err := apiList[struct {
		Name string `json:"name"`
	}](ctx, c, "/groups")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return names, nil
}

// GroupMembers lists the members of group (GET
// /api/v1/groups/{name}/members), which must be one of the user's groups
// (admins: any). Any other group is an *HTTPError matching ErrNotFound,
// whether or not it exists.
func (c *Client) GroupMembers(ctx context.Context, group string) ([]User, error) {
	if group == "" {
		return nil, errors.New("client: no group given")
	}
	return apiList[User](ctx, c, "/groups/"+url.PathEscape(group)+"/members")
}
