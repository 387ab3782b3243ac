package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
)

// New restores the session stored for the server, with no request.
func ExampleNew() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{
		Server: "https://auth.example.org",
		Token:  os.Getenv("HUBAUTH_TOKEN"), // wins over the stored session when set
	})
	if err != nil {
		log.Fatal(err)
	}
	if info, ok := c.Session(); ok {
		fmt.Printf("logged in as %s (%s), stored in %s\n", info.Username, info.Method, info.Source)
	} else {
		fmt.Println("not logged in")
	}
}

// LoginBrowser opens the system browser; without one, fall back to the
// device flow.
func ExampleClient_LoginBrowser() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	err = c.LoginBrowser(ctx, client.BrowserOptions{TokenName: "laptop"})
	if errors.Is(err, client.ErrNoBrowser) {
		err = c.LoginDevice(ctx, client.DeviceOptions{Prompt: func(dc client.DeviceCode) {
			fmt.Printf("Open %s and enter %s\n", dc.VerificationURI, dc.UserCode)
		}})
	}
	if errors.Is(err, client.ErrSessionExists) {
		fmt.Println("already logged in; pass Force to log in again")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
}

// LoginDevice prints a code for the user to approve on any device.
func ExampleClient_LoginDevice() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	err = c.LoginDevice(ctx, client.DeviceOptions{
		Prompt: func(dc client.DeviceCode) {
			fmt.Printf("Open %s and enter the code %s\n", dc.VerificationURI, dc.UserCode)
		},
		TokenName: "cluster job",
	})
	switch {
	case errors.Is(err, client.ErrAccessDenied):
		fmt.Println("the login was refused")
	case errors.Is(err, client.ErrExpiredCode):
		fmt.Println("the code expired: try again")
	case err != nil:
		log.Fatal(err)
	}
}

// LoginToken stores a token obtained elsewhere, such as a personal token.
func ExampleClient_LoginToken() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	token, _ := io.ReadAll(os.Stdin) // like hubauth login --with-token
	if err := c.LoginToken(ctx, string(token), client.TokenOptions{Force: true}); err != nil {
		log.Fatal(err)
	}
}

// LoginPassword logs in with a username and password, as NOMAD's
// /auth/token does.
func ExampleClient_LoginPassword() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org", NoStore: true})
	if err != nil {
		log.Fatal(err)
	}
	err = c.LoginPassword(ctx, "myname", os.Getenv("MY_PASSWORD"), client.PasswordOptions{TokenName: "analysis script"})
	if errors.Is(err, client.ErrInvalidCredentials) {
		fmt.Println("wrong username or password")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
}

// Token returns an access token valid for at least a minute, refreshed
// when needed.
func ExampleClient_Token() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := c.Token(ctx)
	if errors.Is(err, client.ErrNotLoggedIn) || errors.Is(err, client.ErrSessionExpired) {
		fmt.Println(err) // e.g. "client: session expired or revoked: run hubauth login"
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Authorization: Bearer " + tok.AccessToken)
}

// TokenSource plugs the session into code written for x/oauth2.
func ExampleClient_TokenSource() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	hc := oauth2.NewClient(ctx, c.TokenSource(ctx))
	resp, err := hc.Get("https://data.example.org/api/v1/datasets")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
}

// HTTPClient authenticates requests to a data API; CheckResponse turns
// refusals into errors, like the seeds' PermissionError.
func ExampleClient_HTTPClient() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.HTTPClient(ctx).Post("https://data.example.org/api/v1/uploads", "application/json",
		strings.NewReader(`{"upload_name": "spectra"}`))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	err = client.CheckResponse(resp)
	switch {
	case errors.Is(err, client.ErrNotLoggedIn):
		fmt.Println("authentication required: run hubauth login")
	case errors.Is(err, client.ErrForbidden):
		fmt.Println("not allowed:", err)
	case err != nil:
		log.Fatal(err)
	}
}

// Logout revokes the session at the server and forgets it locally.
func ExampleClient_Logout() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	err = c.Logout(ctx)
	switch {
	case errors.Is(err, client.ErrServerNotTold):
		fmt.Println("logged out here, but the server was not told:", err)
	case errors.Is(err, client.ErrNotLoggedIn):
		fmt.Println("not logged in")
	case err != nil:
		log.Fatal(err)
	}
}

// CreateToken makes a personal token for a CI job; the secret is shown
// this once. An unknown scope is refused up front with the valid ones.
func ExampleClient_CreateToken() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := c.CreateToken(ctx, client.TokenRequest{Name: "ci", ExpiresIn: 30 * 24 * time.Hour, Scopes: []string{"uploads:write"}})
	var herr *client.HTTPError
	switch {
	case errors.Is(err, client.ErrConflict):
		fmt.Println("a token named ci exists already: revoke it first")
		return
	case errors.As(err, &herr) && herr.Code == "invalid_scope":
		fmt.Println(herr.Description) // unknown scope "…"; valid scopes: …
		return
	case err != nil:
		log.Fatal(err)
	}
	fmt.Printf("HUBAUTH_TOKEN=%s (expires %s)\n", tok.Token, tok.ExpiresAt.Format(time.DateOnly))
}

// Tokens and RevokeToken clean up the personal tokens not used for a
// while (CAVE's get_tokens).
func ExampleClient_Tokens() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := c.Tokens(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tokens {
		if t.LastUsedAt.IsZero() || time.Since(t.LastUsedAt) > 90*24*time.Hour {
			if err := c.RevokeToken(ctx, t.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
				log.Fatal(err)
			}
			fmt.Println("revoked", t.Name)
		}
	}
}

// Sessions lists where the user is logged in; RevokeSession ends one.
func ExampleClient_Sessions() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	sessions, err := c.Sessions(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sessions {
		fmt.Println(s.ID, s.ClientName, s.Method, s.Name, s.LastUsedAt, s.Current)
	}
}

// Users, Groups and GroupMembers answer CAVE's get_user_information and
// get_group_users.
func ExampleClient_GroupMembers() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
	if err != nil {
		log.Fatal(err)
	}
	groups, err := c.Groups(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range groups {
		members, err := c.GroupMembers(ctx, g)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g, len(members), "members")
	}
	users, err := c.Users(ctx, nil, []string{"ada"})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.ID, u.Username, u.Name)
	}
}
