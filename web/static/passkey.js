// passkey.js is the hub's one script. It runs the WebAuthn ceremony whose
// options the page carries (the form's data-options, as the hub's
// go-webauthn sent them) and posts the browser's answer in the form's
// "credential" field. Every other way to sign in works without it.
"use strict";
(function () {
  const form = document.getElementById("passkey");
  if (!form) return;
  const status = document.getElementById("passkey-status");
  const button = document.getElementById("passkey-start");
  const say = (msg) => { status.textContent = msg; status.hidden = false; };
  const b64url = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

  if (!window.PublicKeyCredential || !navigator.credentials) {
    say("This browser cannot use passkeys. Go back and sign in another way.");
    return;
  }
  const opts = JSON.parse(form.dataset.options).publicKey;
  opts.challenge = bytes(opts.challenge);
  if (opts.user) opts.user.id = bytes(opts.user.id);
  for (const c of opts.excludeCredentials || []) c.id = bytes(c.id);
  for (const c of opts.allowCredentials || []) c.id = bytes(c.id);

  // answer is the credential as JSON in the form go-webauthn parses
  // (W3C WebAuthn Level 3 §5.1.8, RegistrationResponseJSON and
  // AuthenticationResponseJSON).
  function answer(cred) {
    const r = cred.response;
    const out = {
      id: cred.id, rawId: b64url(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults(),
      response: { clientDataJSON: b64url(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      out.response.attestationObject = b64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = b64url(r.authenticatorData);
      out.response.signature = b64url(r.signature);
      if (r.userHandle) out.response.userHandle = b64url(r.userHandle);
    }
    return JSON.stringify(out);
  }

  let busy = false;
  async function run() {
    if (busy) return;
    busy = true;
    button.disabled = true;
    say("Follow your browser's prompt to use your passkey…");
    try {
      const cred = form.dataset.mode === "create"
        ? await navigator.credentials.create({ publicKey: opts })
        : await navigator.credentials.get({ publicKey: opts });
      form.elements.credential.value = answer(cred);
      form.submit();
    } catch (e) {
      say(e.name === "NotAllowedError"
        ? "The passkey request was cancelled or timed out. Try again, or go back and sign in another way."
        : "The passkey did not work here (" + e.name + "). Try again, or go back and sign in another way.");
      busy = false;
      button.disabled = false;
    }
  }
  button.hidden = false;
  button.addEventListener("click", run);
  run();
})();
