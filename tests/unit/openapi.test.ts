import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as serveDocument } from "@/app/api/v1/openapi.json/route";
import { ok } from "@/lib/domain/result";
import { endpoint } from "@/lib/server/api/endpoint";
import { ENDPOINTS } from "@/lib/server/api/endpoints";
import { buildOpenApiDocument } from "@/lib/server/api/openapi";

// The OpenAPI document is generated from ENDPOINTS: it lints clean with Redocly's recommended
// rules, and says what the handlers take and answer (path, query, body, problems, scopes).

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: { name: string; in: string; required: boolean }[];
        requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> };
        responses: Record<string, unknown>;
        security: Record<string, string[]>[];
      }
    >
  >;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
};

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument() as unknown as Doc;

  // The portal is private software: there is no licence for the document to name.
  const lint = async (document: unknown) => {
    const config = await createConfig({ extends: ["recommended"], rules: { "info-license": "off" } });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "/openapi.json", config });
    return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`);
  };

  it("lints clean with Redocly's recommended rules", async () => {
    const described = await lint(doc);
    expect(
      described.filter((line) => line.startsWith("error")),
      described.join("\n"),
    ).toEqual([]);
    // Warnings too: a recommended rule the generator trips is worth fixing where it starts.
    expect(described).toEqual([]);
    // And the linter does find errors: a response pointing at a schema that is not there.
    const broken = structuredClone(doc);
    broken.paths["/me"]!.get!.responses["200"] = {
      description: "x",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Nope" } } },
    };
    expect((await lint(broken)).filter((line) => line.startsWith("error"))).not.toEqual([]);
    // Two whole lints, which outlast the default timeout on a loaded machine.
  }, 30_000);

  it("has every declared endpoint, with its scope, path parameters and query", () => {
    for (const e of ENDPOINTS) {
      const op = doc.paths[e.path]?.[e.method.toLowerCase()];
      expect(op, `${e.method} ${e.path}`).toBeDefined();
      expect(op!.security).toEqual([{ bearerToken: e.scope ? [e.scope] : [] }]);
      expect(op!.responses).toHaveProperty(String(e.successStatus ?? 200));
      expect(op!.responses).toHaveProperty("401");
    }
    const get = doc.paths["/changes/{id}"]!.get!;
    expect(get.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "id", in: "path", required: true }),
        expect.objectContaining({ name: "eventsBefore", in: "query", required: false }),
        expect.objectContaining({ name: "If-None-Match", in: "header" }),
      ]),
    );
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(["200", "304", "404"]));
    const list = doc.paths["/changes"]!.get!;
    expect(list.parameters?.map((p) => p.name).sort()).toEqual(["cursor", "limit", "q", "risk", "state", "type"]);
    expect(list.responses).not.toHaveProperty("404");
  });

  it("declares the second factor's header on the approvals, and only there", () => {
    for (const e of ENDPOINTS) {
      const op = doc.paths[e.path]![e.method.toLowerCase()]!;
      const header = op.parameters?.find((p) => p.name === "X-Second-Factor");
      expect(Boolean(header), `${e.method} ${e.path}`).toBe(Boolean(e.stepUp));
      if (header) expect(header).toMatchObject({ in: "header", required: false });
    }
    const vote = doc.paths["/changes/{id}/votes"]!.post!;
    expect(vote.parameters?.map((p) => p.name)).toContain("X-Second-Factor");
  });

  it("describes a write's body without its path parameters, and its write problems", () => {
    const write = endpoint({
      method: "POST",
      path: "/things/{id}/notes",
      tag: "Changes",
      summary: "Add a note",
      scope: "changes:write",
      input: z.object({ id: z.uuid(), note: z.string().min(1).max(200), pinned: z.boolean().optional() }).strict(),
      output: z.object({ id: z.uuid() }),
      successStatus: 201,
      ifMatch: ({ id }) => id,
      run: async (_, { id }) => ok({ id }),
    });
    const op = (buildOpenApiDocument([write]) as unknown as Doc).paths["/things/{id}/notes"]!.post!;
    expect(op.operationId).toBe("postThingsByIdNotes");
    const body = op.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(body.properties)).toEqual(["note", "pinned"]);
    expect(body.required).toEqual(["note"]);
    expect(op.parameters?.map((p) => `${p.in} ${p.name}`)).toEqual(["path id", "header If-Match", "header Idempotency-Key"]);
    expect(Object.keys(op.responses).sort()).toEqual(["201", "400", "401", "403", "404", "409", "412", "413", "415", "422", "429", "503"]);
  });

  it("describes a non-JSON success and a body that is not one object as declared", () => {
    const exportCsv = endpoint({
      method: "GET",
      path: "/things.csv",
      tag: "Changes",
      summary: "Things as CSV",
      scope: "audit:read",
      input: z.object({}).strict(),
      output: z.string().describe("CSV, one thing a line"),
      mediaType: "text/csv",
      run: async () => ok("id\n"),
    });
    const either = endpoint({
      method: "POST",
      path: "/things",
      tag: "Changes",
      summary: "File a thing",
      scope: "changes:write",
      input: z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("a"), a: z.string() }),
        z.object({ kind: z.literal("b"), b: z.number() }),
      ]),
      output: z.object({ ok: z.boolean() }),
      run: async () => ok({ ok: true }),
    });
    const paths = (buildOpenApiDocument([exportCsv, either]) as unknown as Doc).paths;
    expect(Object.keys((paths["/things.csv"]!.get!.responses["200"] as { content: object }).content)).toEqual(["text/csv"]);
    const body = paths["/things"]!.post!.requestBody!.content["application/json"]!.schema as { oneOf?: unknown[]; properties?: unknown };
    expect(body.oneOf).toHaveLength(2);
    expect(body.properties).toBeUndefined();
  });

  it("is served without a token, cached and revalidated by its ETag", async () => {
    const response = serveDocument(new Request("http://portal.test/api/v1/openapi.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    const etag = response.headers.get("etag")!;
    const again = serveDocument(new Request("http://portal.test/api/v1/openapi.json", { headers: { "if-none-match": etag } }));
    expect(again.status).toBe(304);
  });
});
