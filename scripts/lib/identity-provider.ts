// An OpenID Connect identity provider (oidc-provider, the certified Node server) run in-process:
// the company's IdP in the tests and the demo's SSO. Static clients, accounts held in memory,
// a minimal login form of our own, consent given for the client (a first-party application).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, importJWK, SignJWT, type JWK } from "jose";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export type IdpAccount = { sub: string; email: string; emailVerified?: boolean; name: string; password: string; groups: string[] };
export type IdpClient = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser back (the portal's sign-in page). */
  postLogoutRedirectUris?: string[];
};

export type IdentityProvider = {
  issuer: string;
  /** Mutable: a test changes a user's groups, and the next sign-in sees it. */
  accounts: IdpAccount[];
  /** When set, every ID token the token endpoint issues is rewritten and signed again with the IdP's own key (forgery tests). */
  tamperIdToken: ((claims: Record<string, unknown>) => Record<string, unknown>) | null;
  close: () => Promise<void>;
};

export type IdentityProviderOptions = {
  port?: number;
  host?: string;
  clients: IdpClient[];
  accounts: IdpAccount[];
  /** Shown on the login page (the demo lists its users). */
  loginHint?: string;
};

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const host = options.host ?? "127.0.0.1";
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;
  const jwk = {
    ...(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as JWK),
    kid: "idp-key-1",
    alg: "RS256",
    use: "sig",
  };
  const idp: IdentityProvider = { issuer, accounts: options.accounts, tamperIdToken: null, close: () => closeServer(server) };

  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource } },
    pkce: { methods: ["S256"], required: () => true },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = idp.accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
    // A first-party client: consent is given on the user's behalf, as a company IdP configures it.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === "/token" && idp.tamperIdToken && body?.id_token) body.id_token = await resign(body.id_token, idp.tamperIdToken, jwk);
  });
  const callback = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(provider, idp, options.loginHint, req, res).catch((error) => {
        console.error("[identity provider]", error);
        if (!res.headersSent)
          res.writeHead(400, { "content-type": "text/plain" }).end("The sign-in could not continue. Start again from the portal.");
      });
      return;
    }
    void callback(req, res);
  };
  return idp;
}

async function resign(token: string, tamper: (c: Record<string, unknown>) => Record<string, unknown>, jwk: JWK): Promise<string> {
  const key = await importJWK(jwk, "RS256");
  return new SignJWT(tamper(decodeJwt(token) as Record<string, unknown>)).setProtectedHeader({ alg: "RS256", kid: jwk.kid }).sign(key);
}

async function interaction(provider: Provider, idp: IdentityProvider, hint: string | undefined, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  if (req.method !== "POST") return page(res, details.uid, hint);
  const form = new URLSearchParams(await readBody(req));
  const email = (form.get("email") ?? "").trim().toLowerCase();
  const account = idp.accounts.find((a) => a.email === email && a.password === form.get("password"));
  if (!account) return page(res, details.uid, hint, "Unknown e-mail address or wrong password.");
  await provider.interactionFinished(req, res, { login: { accountId: account.sub, amr: ["pwd"] } }, { mergeWithLastSubmission: false });
}

const STYLE = `<style>body{font-family:system-ui,sans-serif;background:#0f172a;color:#0f172a;display:flex;justify-content:center;padding:48px 16px}
main{background:#fff;border-radius:12px;padding:24px;width:100%;max-width:360px}label{display:block;margin-top:12px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:8px;margin-top:4px;border:1px solid #94a3b8;border-radius:6px}
button{margin-top:16px;width:100%;padding:10px;background:#0f766e;color:#fff;border:0;border-radius:6px;font-weight:600}
button.secondary{background:#fff;color:#0f172a;border:1px solid #94a3b8}
p.error{color:#b91c1c}p.hint{font-size:13px;color:#475569;white-space:pre-line}</style>`;

/** The IdP's "sign out?" page for RP-initiated logout, in the login page's look (oidc-provider's default loads web fonts). */
async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Company sign-out</title>${STYLE}</head>
<body><main><h1>Company identity provider</h1><p>Sign out of the company identity provider too?</p>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

function page(res: ServerResponse, uid: string, hint: string | undefined, error?: string) {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(error ? 401 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Company sign-in</title>
${STYLE}</head>
<body><main><h1>Company identity provider</h1>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}"><label>E-mail<input name="email" type="email" autocomplete="username" required autofocus></label>
<label>Password<input name="password" type="password" autocomplete="current-password" required></label><button type="submit">Sign in</button></form>
${hint ? `<p class="hint">${esc(hint)}</p>` : ""}</main></body></html>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error("form too large");
  }
  return body;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
