import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as checkRoute from "@/app/api/v1/deployments/check/route";
import * as deploymentsRoute from "@/app/api/v1/deployments/route";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { createTestUser, testDb } from "../support/fixtures";

// docs/pipelines.md's GitHub Actions job, its gate steps' `run` commands exactly as written, with
// the job's and steps' `env` (their ${{ }} expressions filled in as GitHub would), run by bash as
// GitHub runs a step, through the vendored script and curl, against the route handlers served over
// HTTP: an approved digest passes, an unapproved one is blocked with its reason, and a deploy
// reported without asking the gate is recorded unauthorized.

const run = promisify(execFile);
type Step = { name?: string; id?: string; env?: Record<string, string>; run?: string };
type Job = { env: Record<string, string>; steps: Step[] };

const HANDLERS: Record<string, (request: Request) => Promise<Response>> = {
  "POST /api/v1/deployments/check": checkRoute.POST,
  "POST /api/v1/deployments": deploymentsRoute.POST,
  "GET /api/v1/deployments": deploymentsRoute.GET,
};

let server: http.Server;
let base: string;
let token: string;
let ci: { id: string; name: string };
const approved = `sha256:${randomBytes(32).toString("hex")}`;

async function documentedJob(): Promise<Job> {
  const doc = await readFile("docs/pipelines.md", "utf8");
  const section = doc.split("\n## GitHub Actions\n")[1];
  const block = section && /^```yaml\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error("docs/pipelines.md has no yaml block under ## GitHub Actions.");
  return (parse(block) as { jobs: { deploy: Job } }).jobs.deploy;
}

function step(job: Job, name: string): Step & { run: string } {
  const found = job.steps.find((s) => s.name === name);
  if (!found?.run) throw new Error(`The documented job has no step "${name}" with commands.`);
  return found as Step & { run: string };
}

/** ${{ expr }} as GitHub fills it in for this run; an expression the test does not know fails the test. */
function fill(value: string, values: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in values)) throw new Error(`The documented job uses \${{ ${expr} }}, which this test does not fill in.`);
    return values[expr]!;
  });
}

/** Runs one documented step's commands as GitHub runs a `run:` step (bash -e -o pipefail), with the job's and step's env. */
async function runStep(job: Job, name: string, values: Record<string, string>) {
  const s = step(job, name);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_ACTOR: "octocat",
  };
  for (const [k, v] of Object.entries({ ...job.env, ...(s.env ?? {}) })) env[k] = fill(String(v), values);
  try {
    const { stdout, stderr } = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run], { env, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

let runId = 1000;
function values(digest: string) {
  runId += 1;
  return {
    "vars.CHANGE_PORTAL_URL": base,
    "secrets.CHANGE_PORTAL_TOKEN": token,
    "github.server_url": "https://github.example.test",
    "github.repository": "acme/shop",
    "github.run_id": String(runId),
    "steps.image.outputs.digest": digest,
    "job.status": "success",
  };
}

beforeAll(async () => {
  const [admin, requester] = await Promise.all([createTestUser({ roles: ["admin"] }), createTestUser({ roles: ["requester"] })]);
  const account = await createServiceAccount(admin.actor, { name: "Deploy pipeline", roles: ["implementer"] });
  if (!account.ok) throw new Error(account.message);
  const issued = await issueServiceAccountToken(admin.actor, {
    serviceAccountId: account.value.id,
    name: "gha",
    scopes: ["deployments:write"],
  });
  if (!issued.ok) throw new Error(issued.message);
  token = issued.value.token;
  // The documented job deploys to the CI named shop-api.
  ci = await testDb().configurationItem.create({
    data: { name: "shop-api", type: "service", environment: "production", owner: "Shop team", criticality: 3, exposure: "internet_facing" },
    select: { id: true, name: true },
  });
  const now = Date.now();
  await testDb().changeRequest.create({
    data: {
      type: "normal",
      state: "scheduled",
      title: "Ship shop-api 2.0.0",
      requesterId: requester.id,
      implementerId: account.value.id,
      plannedStart: new Date(now - 3_600_000),
      plannedEnd: new Date(now + 3_600_000),
      releaseArtifact: true,
      cis: { create: [{ ciId: ci.id }] },
      artifacts: {
        create: [
          { name: "shop-api", version: "2.0.0", digest: approved, scannedAt: new Date(now), scanCritical: 0, scanKnownExploited: 0 },
        ],
      },
    },
  });
  server = http.createServer((req, res) => {
    void serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** The route handlers over plain HTTP, as Next serves them: enough for curl to talk to. */
async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", base);
  const handler = HANDLERS[`${req.method} ${url.pathname}`];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const response = await handler(
    new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

describe("docs/pipelines.md, GitHub Actions", () => {
  it("lets an approved digest through and records its deployment as authorized", async () => {
    const job = await documentedJob();
    const v = values(approved);
    const gate = await runStep(job, "Ask the change gate", v);
    expect(gate, gate.output).toMatchObject({ code: 0 });
    expect(gate.output).toContain("Allowed: CHG-");
    const reported = await runStep(job, "Report the deployment", v);
    expect(reported, reported.output).toMatchObject({ code: 0 });
    const deployment = await testDb().deployment.findFirstOrThrow({
      where: { pipelineRunUrl: `https://github.example.test/acme/shop/actions/runs/${runId}` },
    });
    expect(deployment).toMatchObject({
      authorized: true,
      status: "succeeded",
      ciId: ci.id,
      pipelineStep: "deploy-production",
      triggeredBy: "octocat",
    });
  });

  it("blocks a digest no change approves, with its reason", async () => {
    const job = await documentedJob();
    const gate = await runStep(job, "Ask the change gate", values(`sha256:${"0".repeat(64)}`));
    expect(gate.code, gate.output).toBe(1);
    expect(gate.output).toContain("digest_not_approved");
    expect(gate.output).toContain("does not approve the digest sha256:0000");
  });

  it("records a deployment reported without asking the gate as unauthorized", async () => {
    const job = await documentedJob();
    const unknown = `sha256:${randomBytes(32).toString("hex")}`;
    const reported = await runStep(job, "Report the deployment", values(unknown));
    expect(reported.code, reported.output).toBe(1);
    expect(reported.output).toContain("UNAUTHORIZED");
    const deployment = await testDb().deployment.findFirstOrThrow({ where: { digests: { has: unknown } } });
    expect(deployment).toMatchObject({ authorized: false, unauthorizedReason: "digest_not_approved" });
    expect(await testDb().auditEvent.count({ where: { action: "deployment.unauthorized", entityId: deployment.id } })).toBe(1);
  });

  it("exits 2 on wrong usage and 3 when the portal refuses the request, deploying nothing either way", async () => {
    const script = (args: string[], extra: Record<string, string> = {}) =>
      run("sh", ["scripts/pipeline/change-gate.sh", ...args], {
        env: {
          NODE_ENV: "test",
          PATH: process.env.PATH,
          CHANGE_PORTAL_URL: base,
          CHANGE_PORTAL_TOKEN: token,
          PIPELINE_RUN_URL: "https://ci.example.test/r/1",
          ...extra,
        },
      }).then(
        () => 0,
        (e: { code?: number }) => e.code,
      );
    expect(await script(["check", "--env", "production", "--ci", "shop-api", "--digest", "sha256:ABC"])).toBe(2);
    expect(await script(["check", "--env", "production", "--ci", "shop\nx", "--digest", approved])).toBe(2);
    expect(await script(["deploy"])).toBe(2);
    expect(
      await script(["check", "--env", "production", "--ci", "shop-api", "--digest", approved], { CHANGE_PORTAL_TOKEN: "ccp_nope" }),
    ).toBe(3);
    expect(
      await script(["check", "--env", "production", "--ci", "shop-api", "--digest", approved], { CHANGE_PORTAL_URL: "http://127.0.0.1:9" }),
    ).toBe(3);
  });
});
