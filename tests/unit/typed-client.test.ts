import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/server/api/openapi";

// A typed client from the document: openapi-typescript writes its types (git-ignored, made fresh
// on every run so they can never be stale), and tsc compiles tests/contract/typed-client.ts,
// which calls the API through them and expects the compiler to refuse what the API does not take.

const CONTRACT = path.join(process.cwd(), "tests", "contract");

it("generates TypeScript types from the document and compiles a typed client against them", async () => {
  const ast = await openapiTS(buildOpenApiDocument() as never);
  mkdirSync(path.join(CONTRACT, "generated"), { recursive: true });
  writeFileSync(
    path.join(CONTRACT, "generated", "api-v1.ts"),
    `// Generated from /api/v1/openapi.json by tests/unit/typed-client.test.ts.\n${astToString(ast)}`,
  );
  const tsc = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "tsc"), ["-p", path.join(CONTRACT, "tsconfig.json")], {
    encoding: "utf8",
  });
  expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
  expect(tsc.status).toBe(0);
}, 60_000);
