import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "@/lib/server/api/endpoints";

// Every /api/v1 route file serves a declared endpoint from its own folder, and every declared
// endpoint has its route: the OpenAPI document is built from ENDPOINTS, so neither may drift.

const API_ROOT = join(process.cwd(), "app", "api", "v1");
// The one route that is not an operation: the public contract itself (lib/server/api/openapi.ts).
const DOCUMENT_ROUTE = join(API_ROOT, "openapi.json", "route.ts");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === "route.ts" && path !== DOCUMENT_ROUTE ? [path] : [];
  });
}

/** "changes/[id]/route.ts" -> "/changes/{id}" */
function openApiPath(file: string): string {
  const folder = relative(API_ROOT, file).split(sep).slice(0, -1);
  return `/${folder.map((part) => part.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`;
}

type Served = { method: string; path: string; name: string };

function served(): Served[] {
  return routeFiles(API_ROOT).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const handlers = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s*=\s*([^;]+);/g)];
    return handlers.map(([, method = "", value = ""]) => {
      const name = /^apiRoute\((\w+)\)$/.exec(value.trim())?.[1];
      return { method, path: openApiPath(file), name: name ?? `not an apiRoute(...) of an endpoint: ${value.trim()}` };
    });
  });
}

describe("/api/v1 endpoints", () => {
  it("serves every route through apiRoute(endpoint) from the endpoint's own folder", () => {
    const declared = new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`));
    for (const route of served()) {
      expect(route.name, `${route.method} ${route.path}`).toMatch(/^\w+$/);
      expect(declared.has(`${route.method} ${route.path}`), `${route.method} ${route.path} is served but not in ENDPOINTS`).toBe(true);
    }
  });

  it("has a route file for every declared endpoint, and declares each method and path once", () => {
    const routes = new Set(served().map((r) => `${r.method} ${r.path}`));
    const keys = ENDPOINTS.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(routes.has(key), `${key} is declared but no route file serves it`).toBe(true);
  });
});

// The use cases a page form runs with formAction({ stepUp }) (lib/domain/step-up.ts): their API endpoints ask for the second factor too.
const ACTIONS_ROOT = join(process.cwd(), "app");
const ENDPOINTS_ROOT = join(process.cwd(), "lib", "server", "api", "endpoints");

function filesNamed(dir: string, name: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "api" ? [] : filesNamed(path, name);
    return name.test(entry.name) ? [path] : [];
  });
}

/** Each `export const x = ...` declaration of a source file, by name. */
const declarations = (source: string) =>
  [...source.matchAll(/^export const (\w+) = ([\s\S]*?)(?=^export |(?![\s\S]))/gm)].map(([, name = "", body = ""]) => ({ name, body }));

function stepUpUseCases(): Set<string> {
  const names = new Set<string>();
  for (const file of filesNamed(ACTIONS_ROOT, /^actions\.ts$/))
    for (const { body } of declarations(readFileSync(file, "utf8"))) {
      if (!/\bstepUp: (true|\()/.test(body)) continue;
      const run = /\brun: (?:\([^)]*\) => )?(\w+)/.exec(body)?.[1];
      if (run) names.add(run);
    }
  return names;
}

describe("approvals through the API", () => {
  it("ask for the second factor on every endpoint whose use case a page form guards with step-up, and on no other", async () => {
    const guarded = stepUpUseCases();
    expect([...guarded]).toEqual(expect.arrayContaining(["castVote", "signOffItem", "waiveItem", "approveFreezeException"]));
    const stepUp = new Set(ENDPOINTS.filter((e) => e.stepUp).map((e) => `${e.method} ${e.path}`));
    const expected = new Set<string>();
    for (const file of filesNamed(ENDPOINTS_ROOT, /\.ts$/)) {
      const mod = (await import(file)) as Record<string, { method?: string; path?: string }>;
      for (const { name, body } of declarations(readFileSync(file, "utf8"))) {
        const runs = /\brun: ([\s\S]*)/.exec(body)?.[1] ?? "";
        if ([...guarded].some((useCase) => new RegExp(`\\b${useCase}\\(`).test(runs)))
          expected.add(`${mod[name]?.method} ${mod[name]?.path}`);
      }
    }
    expect([...stepUp].sort()).toEqual([...expected].sort());
    expect(stepUp.size).toBeGreaterThanOrEqual(4);
  });
});
