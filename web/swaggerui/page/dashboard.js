// dashboard.js starts Swagger UI with the settings the server publishes
// in config.json (same directory): no inline script, so the page's
// Content-Security-Policy can allow the server's own scripts only.
"use strict";
(function () {
  function fail(message) {
    var p = document.createElement("p");
    p.className = "dashboard-message";
    p.textContent = message;
    document.getElementById("swagger-ui").replaceChildren(p);
  }
  function start(cfg) {
    var redirect = cfg.oauth2RedirectUrl || new URL("oauth2-redirect.html", window.location.href).href;
    if (cfg.title) {
      document.title = cfg.title;
    }
    var ui = SwaggerUIBundle({
      url: cfg.url,
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      oauth2RedirectUrl: redirect,
      validatorUrl: null,
      withCredentials: false,
      persistAuthorization: false
    });
    ui.initOAuth({
      clientId: cfg.clientId || "",
      appName: cfg.title || "",
      scopes: cfg.scopes || [],
      usePkceWithAuthorizationCodeGrant: true
    });
    window.ui = ui;
  }
  fetch("config.json", { credentials: "same-origin" })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error("config.json: status " + resp.status);
      }
      return resp.json();
    })
    .then(start)
    .catch(function (err) {
      fail("The API dashboard could not start: " + err.message);
    });
})();
