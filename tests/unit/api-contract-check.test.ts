import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ok } from "@/lib/domain/result";
import { endpoint } from "@/lib/server/api/endpoint";
import { buildOpenApiDocument } from "@/lib/server/api/openapi";
import { problemResponse } from "@/lib/server/api/problem";
import { contractChecker } from "../support/api-contract";

// The check callApi runs on every response the integration tests receive can fail: a body with a
// field the output schema lacks, a status or media type the document does not list, a problem
// without its code.

const thing = endpoint({
  method: "GET",
  path: "/things/{id}",
  tag: "Changes",
  summary: "One thing",
  scope: "changes:read",
  input: z.object({ id: z.string() }).strict(),
  output: z.object({ id: z.uuid(), name: z.string(), at: z.iso.datetime() }),
  run: async ({ id }) => ok({ id, name: "x", at: new Date().toISOString() }),
});
const check = contractChecker(buildOpenApiDocument([thing]) as never);
const url = "http://portal.test/api/v1/things/abc";
const good = { id: crypto.randomUUID(), name: "A thing", at: "2026-12-07T10:00:00.000Z" };

describe("the contract check", () => {
  it("passes a response the document describes", async () => {
    await check("GET", url, Response.json(good));
    await check("GET", url, problemResponse({ status: 404, code: "not_found", detail: "No such thing." }));
  });

  it("fails a body with a field its output schema lacks, naming it", async () => {
    await expect(check("GET", url, Response.json({ ...good, secretHash: "abc" }))).rejects.toThrow(
      /GET \/things\/\{id\} .*answered 200 with a body its OpenAPI schema refuses:[\s\S]*additional properties[\s\S]*secretHash/,
    );
  });

  it("fails a body missing a field, or of the wrong type or format", async () => {
    const missing: Partial<typeof good> = { ...good };
    delete missing.name;
    await expect(check("GET", url, Response.json(missing))).rejects.toThrow(/must have required property 'name'/);
    await expect(check("GET", url, Response.json({ ...good, name: 3 }))).rejects.toThrow(/body\/name must be string/);
    await expect(check("GET", url, Response.json({ ...good, at: "yesterday" }))).rejects.toThrow(/body\/at must match format "date-time"/);
  });

  it("fails a status, media type or problem the document does not describe", async () => {
    await expect(check("GET", url, problemResponse({ status: 500, code: "internal_error", detail: "x" }))).rejects.toThrow(
      /answered 500, which the OpenAPI document does not list/,
    );
    await expect(check("GET", url, new Response("id,name", { headers: { "content-type": "text/csv" } }))).rejects.toThrow(
      /as "text\/csv", where the document lists application\/json/,
    );
    const noCode = new Response(JSON.stringify({ type: "about:blank", title: "Not Found", status: 404, detail: "x" }), {
      status: 404,
      headers: { "content-type": "application/problem+json" },
    });
    await expect(check("GET", url, noCode)).rejects.toThrow(/required property 'code'/);
    await expect(check("POST", url, Response.json(good))).rejects.toThrow(/no operation of the OpenAPI document matches/);
    await expect(check("GET", "http://portal.test/api/v1/nothing", Response.json(good))).rejects.toThrow(/no operation/);
  });
});
