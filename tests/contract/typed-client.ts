// A client typed from the OpenAPI document alone: tests/unit/typed-client.test.ts generates
// ./generated/api-v1.ts with openapi-typescript and compiles this file against it, proving the
// document is usable to write a client from (README, REST API: generating a client).
import type { paths } from "./generated/api-v1";

type Get = { [P in keyof paths]: paths[P] extends { get: unknown } ? P : never }[keyof paths];
type Operation<P extends Get> = paths[P]["get"];
type Query<P extends Get> = Operation<P> extends { parameters: { query?: infer Q } } ? Q : never;
type PathParams<P extends Get> = Operation<P> extends { parameters: { path: infer Q } } ? Q : never;
type Ok<P extends Get> = Operation<P> extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;

/** GET an /api/v1 operation: the path, its parameters and its answer are all typed from the document. */
export async function get<P extends Get>(
  base: string,
  token: string,
  path: P,
  options: { path?: PathParams<P>; query?: Query<P> } = {},
): Promise<Ok<P>> {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((options.path as Record<string, unknown> | undefined)?.[name])),
  );
  const query = new URLSearchParams(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
  const response = await fetch(`${base}${filled}${query.size ? `?${query}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${response.status}: ${((await response.json()) as { detail?: string }).detail ?? ""}`);
  return (await response.json()) as Ok<P>;
}

/** What a pipeline would do: who am I, my open drafts, and one change's approvals. */
export async function example(base: string, token: string): Promise<string[]> {
  const me = await get(base, token, "/me");
  const scopes: (
    "changes:read" | "changes:write" | "cmdb:read" | "cmdb:write" | "audit:read" | "deployments:read" | "deployments:write"
  )[] = me.scopes;
  const page = await get(base, token, "/changes", { query: { state: "draft", limit: "10" } });
  const lines = page.items.map((item) => `${item.reference} ${item.title} (${item.risk?.level ?? "unscored"})`);
  const first = page.items[0];
  if (first) {
    const change = await get(base, token, "/changes/{id}", { path: { id: first.id } });
    const missing: number = change.approvals.missing.reduce((sum, m) => sum + m.needed, 0);
    lines.push(`${change.reference}: ${missing} approvals missing; ETag version ${change.version}`);
  }
  // The generated types are not `any`: each of these is refused by the compiler.
  // @ts-expect-error -- no such operation
  await get(base, token, "/nowhere");
  // @ts-expect-error -- not a state
  await get(base, token, "/changes", { query: { state: "finished" } });
  // @ts-expect-error -- not a field of a change
  lines.push(page.items[0]?.secret);
  return [...lines, ...scopes];
}
