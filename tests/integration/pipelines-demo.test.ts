import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkRoute from "@/app/api/v1/deployments/check/route";
import * as deploymentsRoute from "@/app/api/v1/deployments/route";
import { issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { loadActor } from "@/lib/server/auth/current-actor";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";
import { db } from "@/lib/server/db/db";
import { DEMO_SERVICE_ACCOUNT } from "@/prisma/seed/demo-service-account";
import { DEMO_OPEN_WINDOW, seedDemoChanges } from "@/prisma/seed/seed-demo-changes";
import { seedIfEmpty } from "@/prisma/seed/seed";

// docs/pipelines.md's "Try it against the demo", on the demo as npm start seeds it: the documented
// commands, verbatim, through the vendored script and curl. The change whose window is open at
// seeding is allowed at once and its report authorized; the one days ahead is denied outside its
// window, and allowed once a change manager reschedules it into one.

const run = promisify(execFile);
let server: http.Server;
let base: string;
let token: string;

async function demoSection(): Promise<string> {
  const doc = await readFile("docs/pipelines.md", "utf8");
  const section = doc.split("\n## Try it against the demo\n")[1]?.split("\n## ")[0];
  if (!section) throw new Error('docs/pipelines.md has no "## Try it against the demo" section.');
  return section;
}

/** The documented `change-gate.sh` commands, in order (their sh blocks, continuation lines joined). */
async function documentedCommands(): Promise<string[]> {
  const blocks = [...(await demoSection()).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {3}/gm, ""));
  return blocks.filter((b) => b.includes("change-gate.sh ")).map((b) => b.replace(/\\\n\s*/g, "").trim());
}

async function sh(command: string, step: string) {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    CHANGE_PORTAL_URL: base,
    CHANGE_PORTAL_TOKEN: token,
    PIPELINE_RUN_URL: `https://ci.example.com/runs/${step}`,
  };
  try {
    const { stdout, stderr } = await run("sh", ["-c", command], { env, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

beforeAll(async () => {
  await seedIfEmpty(db(), { mode: "demo" });
  await seedDemoChanges();
  const admin = await db().user.findUniqueOrThrow({ where: { email: "admin@demo.local" } });
  const account = await db().user.findUniqueOrThrow({ where: { email: DEMO_SERVICE_ACCOUNT.email } });
  const issued = await issueServiceAccountToken(await loadActor(admin.id), {
    serviceAccountId: account.id,
    name: "demo walk",
    scopes: ["deployments:write", "deployments:read"],
  });
  if (!issued.ok) throw new Error(issued.message);
  token = issued.value.token;
  server = http.createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", base);
  const handler = { "/api/v1/deployments/check": checkRoute.POST, "/api/v1/deployments": deploymentsRoute.POST }[url.pathname];
  if (!handler || req.method !== "POST") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const response = await handler(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

describe('docs/pipelines.md, "Try it against the demo"', () => {
  it("allows the open change at once and authorizes its report; denies the one days ahead until rescheduled", async () => {
    const [allowCheck, report, denyCheck, ...rest] = await documentedCommands();
    expect(rest).toEqual([]);
    expect(allowCheck).toContain(" check ");
    expect(report).toContain(" report ");
    expect(denyCheck).toContain(" check ");

    const open = await db().changeRequest.findFirstOrThrow({ where: { title: DEMO_OPEN_WINDOW.title } });
    expect(open.state).toBe("scheduled");
    const allowed = await sh(allowCheck!, "1");
    expect(allowed.code, allowed.output).toBe(0);
    expect(allowed.output).toContain(`CHG-${String(open.number).padStart(6, "0")}`);
    const reported = await sh(report!, "1");
    expect(reported.code, reported.output).toBe(0);
    const deployment = await db().deployment.findFirstOrThrow({ where: { pipelineRunUrl: "https://ci.example.com/runs/1" } });
    expect(deployment).toMatchObject({ authorized: true, changeId: open.id });

    const denied = await sh(denyCheck!, "2");
    expect(denied.code, denied.output).toBe(1);
    expect(denied.output).toContain("outside_window");
    const change = await db().changeRequest.findFirstOrThrow({ where: { title: "Patch OpenSSL on the web tier" } });
    expect(change.state).toBe("scheduled");
    const manager = await db().user.findUniqueOrThrow({ where: { email: "manager@demo.local" } });
    const start = new Date(Date.now() + 5 * 60_000);
    const moved = await rescheduleChange(await loadActor(manager.id), {
      changeId: change.id,
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    expect(moved, JSON.stringify(moved)).toMatchObject({ ok: true });
    const rescheduled = await sh(denyCheck!, "3");
    expect(rescheduled.code, rescheduled.output).toBe(0);
  });
});
