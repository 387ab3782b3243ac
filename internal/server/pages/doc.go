// Package pages serves the hub's HTML steps: /login (username and
// password, single sign-on through the hub session cookie), the consent
// step for third-party clients, /device (enter a user code, approve or deny
// a device), /account (profile, personal tokens: create and revoke, active
// logins: revoke), /logout and the signed-in home page.
//
// Every route is protected against cross-site form posts by
// net/http.CrossOriginProtection and answers with a strict Content Security
// Policy (no scripts, frame-ancestors 'none'), nosniff, no-referrer and
// no-store headers. The pages work without JavaScript.
package pages
