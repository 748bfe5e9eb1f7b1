// Calls the app's server actions over HTTP as a browser does, against a `next build` output:
// signs in through next-auth's credentials endpoint, finds each action's id in the build's
// server reference manifest, and posts React's encoded reply with the Next-Action header.
import { readFileSync } from "node:fs";
import path from "node:path";

export type ActionFields = Record<string, string | readonly string[]>;

export type ActionResponse = {
  status: number;
  /** Where the action sent the browser (redirect() in the action), without Next's ";push" suffix. */
  redirect: string | null;
  /** The action's return value, decoded from the RSC payload; undefined when it redirected or failed. */
  result: unknown;
  body: string;
};

export type ActionCallOptions = {
  /** The page the form is on; the action runs the same from any page, but its errors render there. */
  path?: string;
  /** Sent as the Origin header; the app's own origin unless a test wants a foreign one (null: none). */
  origin?: string | null;
  /** The first argument of a useActionState action. */
  previousState?: unknown;
  signal?: AbortSignal;
};

type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };

/** Every server action of the build, keyed by "file#exportedName", e.g. "app/(portal)/changes/[id]/actions.ts#voteAction". */
export function readActionManifest(distDir = ".next"): Map<string, { id: string; pages: string[] }> {
  const file = path.resolve(distDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const actions = new Map<string, { id: string; pages: string[] }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    actions.set(`${entry.filename}#${entry.exportedName}`, { id, pages: Object.keys(entry.workers) });
  }
  return actions;
}

/** "app/(portal)/changes/[id]/page" -> "/changes/[id]": a page path that serves the action. */
function pagePath(page: string): string {
  const segments = page
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

function cookieHeader(setCookies: string[]): string {
  return setCookies.map((c) => c.split(";")[0]!).join("; ");
}

export class ActionClient {
  readonly baseUrl: string;
  private readonly actions: Map<string, { id: string; pages: string[] }>;

  constructor(baseUrl: string, options: { distDir?: string } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.actions = readActionManifest(options.distDir);
  }

  /** Every exported action as [file, exportedName], for tests that must cover them all. */
  listActions(): Array<{ file: string; name: string; id: string }> {
    return [...this.actions.entries()].map(([key, { id }]) => {
      const [file, name] = key.split("#") as [string, string];
      return { file, name, id };
    });
  }

  actionId(file: string, exportedName: string): string {
    const entry = this.actions.get(`${file}#${exportedName}`);
    if (!entry) throw new Error(`No server action ${exportedName} in ${file} in this build; is the build stale?`);
    return entry.id;
  }

  /** Signs in with the credentials provider; resolves with the Cookie header that carries the session. */
  async signIn(email: string, password: string): Promise<string> {
    const csrf = await fetch(`${this.baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = cookieHeader(csrf.headers.getSetCookie());
    const response = await fetch(`${this.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: this.baseUrl },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${this.baseUrl}/`, json: "true" }),
    });
    const session = response.headers.getSetCookie().filter((c) => /session-token=/.test(c) && !/session-token=;/.test(c));
    if (session.length === 0) {
      const location = response.headers.get("location") ?? "";
      throw new Error(`Sign-in as ${email} failed (${response.status} ${decodeURIComponent(location)})`);
    }
    return cookieHeader(session);
  }

  /**
   * Calls one server action as the browser's form would (a useActionState action): `fields` are
   * the form's fields, sent as the FormData argument after the previous state (React's reply
   * encoding: "0" holds the arguments, "_1_<name>" the form's fields).
   */
  async callAction(
    cookie: string | null,
    file: string,
    exportedName: string,
    fields: ActionFields,
    options: ActionCallOptions = {},
  ): Promise<ActionResponse> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of typeof value === "string" ? [value] : value) body.append(`_1_${name}`, one);
    }
    // Last, as React sends it: the server resolves the arguments when this part arrives.
    body.set("0", JSON.stringify([encodeReplyValue(options.previousState ?? null), "$K1"]));
    return this.post(cookie, file, exportedName, body, options);
  }

  /** Calls a server action that takes plain values, not a form (a search box's lookup, a button's action). */
  async callActionWithArgs(
    cookie: string | null,
    file: string,
    exportedName: string,
    args: unknown[],
    options: ActionCallOptions = {},
  ): Promise<ActionResponse> {
    const body = new FormData();
    body.set("0", JSON.stringify(args.map(encodeReplyValue)));
    return this.post(cookie, file, exportedName, body, options);
  }

  private async post(
    cookie: string | null,
    file: string,
    exportedName: string,
    body: FormData,
    options: ActionCallOptions,
  ): Promise<ActionResponse> {
    const entry = this.actions.get(`${file}#${exportedName}`);
    if (!entry) throw new Error(`No server action ${exportedName} in ${file} in this build; is the build stale?`);
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    const headers: Record<string, string> = { accept: "text/x-component", "next-action": entry.id };
    if (origin !== null) headers.origin = origin;
    if (cookie) headers.cookie = cookie;
    const page = options.path ?? pagePath(entry.pages[0] ?? "app/page");
    const response = await fetch(`${this.baseUrl}${page}`, { method: "POST", headers, body, redirect: "manual", signal: options.signal });
    const text = await response.text();
    const redirect = response.headers.get("x-action-redirect");
    return {
      status: response.status,
      redirect: redirect ? redirect.replace(/;(push|replace)$/, "") : null,
      result: redirect || !response.ok ? undefined : decodeActionResult(text),
      body: text,
    };
  }
}

// React's reply encoding escapes strings that start with "$".
function encodeReplyValue(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(encodeReplyValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeReplyValue(v)]));
  return value;
}

/**
 * The action's return value from an RSC payload: rows "<hex id>:<json>" (or ":T<len>,<text>"
 * for long text), the root row 0 naming the result as "$@<id>". Plain data only, which is what
 * the app's actions return (FormState).
 */
export function decodeActionResult(payload: string): unknown {
  const rows = new Map<string, unknown>();
  let at = 0;
  while (at < payload.length) {
    const colon = payload.indexOf(":", at);
    if (colon < 0) break;
    const id = payload.slice(at, colon);
    if (payload[colon + 1] === "T") {
      const comma = payload.indexOf(",", colon);
      const length = parseInt(payload.slice(colon + 2, comma), 16);
      // The length counts UTF-8 bytes.
      const bytes = Buffer.from(payload.slice(comma + 1), "utf8")
        .subarray(0, length)
        .toString("utf8");
      rows.set(id, { __text: bytes });
      at = comma + 1 + bytes.length;
      continue;
    }
    const end = payload.indexOf("\n", colon);
    const line = payload.slice(colon + 1, end < 0 ? payload.length : end);
    // Other row kinds (an error "E{digest}", a module "I[...]") are no plain value.
    try {
      rows.set(id, JSON.parse(line));
    } catch {
      rows.set(id, undefined);
    }
    at = end < 0 ? payload.length : end + 1;
  }
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string" && value.startsWith("$")) {
      if (value.startsWith("$$")) return value.slice(1);
      if (value === "$undefined") return undefined;
      const ref = /^\$@?([0-9a-f]+)$/.exec(value);
      if (ref) {
        const row = rows.get(ref[1]!);
        return row && typeof row === "object" && "__text" in row ? (row as { __text: string }).__text : resolve(row);
      }
      return value;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const root = rows.get("0") as { a?: unknown } | undefined;
  return root && typeof root === "object" && "a" in root ? resolve(root.a) : undefined;
}
