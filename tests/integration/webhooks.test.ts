import { spawn } from "node:child_process";
import http from "node:http";
import net, { type Socket } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as receiveDemo } from "@/app/api/demo-webhook-receiver/[id]/route";
import { publicKeyPemOf, verifyCheckpointSignature } from "@/lib/domain/audit-checkpoint";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { signedCheckpointSchema } from "@/lib/domain/export-manifest";
import { parseAllowedRanges } from "@/lib/domain/outbound-address";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { takeCheckpoint } from "@/lib/server/audit/checkpoints";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { inTransaction } from "@/lib/server/db/transaction";
import { retryDelivery } from "@/lib/server/deliveries/retry-delivery";
import { deliverWebhook } from "@/lib/server/webhooks/deliver-webhook";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookSubscription,
} from "@/lib/server/webhooks/manage-subscriptions";
import { postWebhook, RefusedDestination, type PostLimits } from "@/lib/server/webhooks/post-webhook";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// A real receiver on the loopback address, which the allow-list names (the portal refuses it otherwise).
const PORT = Number(process.env.WEBHOOK_TEST_PORT || 26200);
process.env.WEBHOOK_ALLOWED_PRIVATE_RANGES = "127.0.0.1/32";
process.env.NEXTAUTH_URL = "https://changes.example.test";
process.env.DELIVERY_MAX_ATTEMPTS = "3";
process.env.DELIVERY_BACKOFF_BASE_MS = "100";
process.env.DELIVERY_BACKOFF_MAX_MS = "400";
process.env.WEBHOOK_RESPONSE_TIMEOUT_MS = "2000";
process.env.WEBHOOK_CONNECT_TIMEOUT_MS = "1000";

type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];
/** What the receiver answers next, per path; 200 when nothing is queued. */
const answers = new Map<string, number[]>();
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const path = req.url ?? "/";
    if (path === "/silent") return; // never answers
    if (path === "/big") return res.writeHead(200).end("x".repeat(1_000_000));
    if (path === "/redirect") return res.writeHead(302, { location: `http://127.0.0.1:${PORT}/elsewhere` }).end();
    received.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
    const status = answers.get(path)?.shift() ?? 200;
    res.writeHead(status).end(status === 200 ? "ok" : "nope");
  });
});

type U = Awaited<ReturnType<typeof createTestUser>>;
let admin: U, requester: U, manager: U;
const url = (path: string) => `http://127.0.0.1:${PORT}${path}`;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));
  admin = await createTestUser({ roles: ["admin"] });
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function subscribe(path: string, eventTypes: string[], format = "standard") {
  const made = await createWebhookSubscription(admin.actor, { name: `Receiver ${path}`, url: url(path), eventTypes, format, active: true });
  if (!made.ok) throw new Error(made.message);
  return made.value;
}

const deliveriesOf = (subscriptionId: string) =>
  testDb().delivery.findMany({ where: { subscriptionId }, orderBy: [{ createdAt: "asc" }, { messageKey: "asc" }] });

async function submittedChange(title: string): Promise<string> {
  const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id], { title }));
  if (!created.ok) throw new Error(created.message);
  expect(await performChangeAction(requester.actor, { changeId: created.value.id, action: "submit" })).toMatchObject({ ok: true });
  return created.value.id;
}

const headersOf = (r: Received) => ({
  "webhook-id": r.headers["webhook-id"]!,
  "webhook-timestamp": r.headers["webhook-timestamp"]!,
  "webhook-signature": r.headers["webhook-signature"]!,
});

describe("webhooks from audit events", () => {
  it("are written with the audit event, signed per Standard Webhooks, and the stream carries the export's exact line", async () => {
    const { id, secret } = await subscribe("/events", ["change.submitted", "audit.event"]);
    const changeId = await submittedChange("Webhook on submit");
    const rows = (await deliveriesOf(id)).filter((d) => d.changeId === changeId);
    expect(rows.map((d) => d.kind).sort()).toEqual(["audit.event", "audit.event", "change.submitted"]);
    expect(rows.every((d) => d.channel === "webhook" && d.status === "pending")).toBe(true);
    const jobs = await testDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = ANY(${rows.map((d) => `delivery:${d.id}`)}::text[])`;
    expect(jobs[0]!.n).toBe(3);

    for (const d of rows) expect(await deliverWebhook(d.id)).toBe("sent");
    const got = received.filter((r) => r.path === "/events" && rows.some((d) => d.messageKey === r.headers["webhook-id"]));
    expect(got).toHaveLength(3);
    const wh = new Webhook(secret);
    for (const r of got) expect(() => wh.verify(r.body, headersOf(r))).not.toThrow();

    const submitted = got.find((r) => JSON.parse(r.body).type === "change.submitted")!;
    const payload = wh.verify(submitted.body, headersOf(submitted)) as { type: string; data: { changeId: string; url: string } };
    expect(payload.data.changeId).toBe(changeId);
    expect(payload.data.url).toBe(`https://changes.example.test/changes/${changeId}`);

    // The stream's bodies are the lines an export writes for these events, byte for byte.
    const events = (await readAuditEvents({ changeId, limit: 100 })).filter(
      (e) => e.action === "change.created" || e.action === "change.submitted",
    );
    const streamed = got.filter((r) => r.body.startsWith('{"hash":')).map((r) => r.body);
    expect(streamed.sort()).toEqual(events.map(auditJsonLine).sort());
  });

  it("announce nothing when the action rolls back", async () => {
    const { id } = await subscribe("/rollback", ["change.submitted", "audit.event"]);
    const before = (await deliveriesOf(id)).length;
    await expect(
      inTransaction(async (tx) => {
        await appendAuditEvent(tx, { actor: requester.actor, action: "change.submitted", entityType: "change" });
        throw new Error("the step failed after its audit event");
      }),
    ).rejects.toThrow(/step failed/);
    expect((await deliveriesOf(id)).length).toBe(before);
  });

  it("maps approval, and chat formats carry a Slack or Teams message", async () => {
    const slack = await subscribe("/slack", ["change.approved"], "slack");
    const teams = await subscribe("/teams", ["change.approved"], "teams");
    await inTransaction((tx) =>
      appendAuditEvent(tx, { actor: manager.actor, action: "change.scheduled", entityType: "change", reason: "<b>ok</b> & go" }),
    );
    const [s] = await deliveriesOf(slack.id);
    const [t] = await deliveriesOf(teams.id);
    expect(JSON.parse(s!.bodyText)).toEqual({
      text: expect.stringMatching(
        /^\*Change approved\* by .*: <https:\/\/changes\.example\.test\|Open the portal>\n> &lt;b&gt;ok&lt;\/b&gt; &amp; go$/,
      ),
    });
    expect(JSON.parse(t!.bodyText)).toMatchObject({ "@type": "MessageCard", title: "Change approved" });
    expect(
      await createWebhookSubscription(admin.actor, {
        name: "x",
        url: url("/x"),
        eventTypes: ["audit.event"],
        format: "slack",
        active: true,
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { eventTypes: expect.stringMatching(/Standard Webhooks format/) },
    });
  });
});

describe("a receiver verifying with the standardwebhooks library", () => {
  it("rejects an edited body, a replayed old timestamp and a forged signature", async () => {
    const { id, secret } = await subscribe("/attacker", ["change.submitted"]);
    expect(await sendTestWebhook(admin.actor, { subscriptionId: id })).toMatchObject({ ok: true });
    const [test] = await deliveriesOf(id);
    // An attempt signed ten minutes ago: what an attacker replaying a captured request holds.
    expect(await deliverWebhook(test!.id, () => new Date(Date.now() - 10 * 60_000))).toBe("sent");
    const captured = received.find((r) => r.headers["webhook-id"] === test!.messageKey)!;
    const wh = new Webhook(secret);
    expect(() => wh.verify(captured.body, headersOf(captured))).toThrow(/too old/i);

    const fresh = { ...headersOf(captured), "webhook-timestamp": String(Math.floor(Date.now() / 1000)) };
    fresh["webhook-signature"] = new Webhook(secret).sign(fresh["webhook-id"], new Date(), captured.body);
    expect(wh.verify(captured.body, fresh)).toMatchObject({ type: "webhook.test" });
    expect(() => wh.verify(captured.body.replace("webhook.test", "change.approved"), fresh)).toThrow(/signature/i);
    const forged = {
      ...fresh,
      "webhook-signature": new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).sign(
        fresh["webhook-id"],
        new Date(),
        captured.body,
      ),
    };
    expect(() => wh.verify(captured.body, forged)).toThrow(/signature/i);
  });

  it("verifies with either secret while a rotation is under way", async () => {
    const { id, secret: old } = await subscribe("/rotate", ["change.submitted"]);
    const rotated = await rotateWebhookSecret(admin.actor, { subscriptionId: id });
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.value.secret).not.toBe(old);
    expect(await sendTestWebhook(admin.actor, { subscriptionId: id })).toMatchObject({ ok: true });
    const [d] = await deliveriesOf(id);
    expect(await deliverWebhook(d!.id)).toBe("sent");
    const r = received.find((x) => x.headers["webhook-id"] === d!.messageKey)!;
    expect(r.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(old).verify(r.body, headersOf(r))).not.toThrow();
    expect(() => new Webhook(rotated.value.secret).verify(r.body, headersOf(r))).not.toThrow();
    // The secret is never in the audit log.
    const audit = await testDb().auditEvent.findMany({ where: { entityId: id } });
    expect(audit.map((e) => e.action).sort()).toEqual(["webhook.created", "webhook.secret_rotated", "webhook.test_sent"]);
    const recorded = JSON.stringify(audit.map((e) => [e.before, e.after, e.reason]));
    expect(recorded).not.toContain(old.slice(6));
    expect(recorded).not.toContain(rotated.value.secret.slice(6));
  });
});

describe("retries", () => {
  it("keeps the webhook-id across attempts, backs off, and delivers once the receiver recovers (at least once)", async () => {
    const { id, secret } = await subscribe("/flaky", ["change.submitted"]);
    answers.set("/flaky", [500, 503]);
    await sendTestWebhook(admin.actor, { subscriptionId: id });
    const [d] = await deliveriesOf(id);
    const failedAt = Date.now();
    expect(await deliverWebhook(d!.id)).toBe("retrying");
    const waiting = await testDb().delivery.findUniqueOrThrow({ where: { id: d!.id } });
    expect(waiting).toMatchObject({ status: "retrying", attempts: 1, responseStatus: 500, lastError: expect.stringMatching(/^HTTP 500/) });
    // Half the first step (base 100 ms) is fixed: no retry comes sooner.
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(failedAt + 50);
    expect(await deliverWebhook(d!.id)).toBe("retrying");
    expect(await deliverWebhook(d!.id)).toBe("sent");
    const attempts = received.filter((r) => r.path === "/flaky");
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.headers["webhook-id"]))).toEqual(new Set([d!.messageKey]));
    for (const r of attempts) expect(() => new Webhook(secret).verify(r.body, headersOf(r))).not.toThrow();
    // Sent is final: a late job for the same delivery sends nothing.
    expect(await deliverWebhook(d!.id)).toBe("skipped");
  });

  it("is dead after the last attempt, and an admin's retry queues it again", async () => {
    const { id } = await subscribe("/down", ["change.submitted"]);
    answers.set("/down", [500, 500, 500]);
    await sendTestWebhook(admin.actor, { subscriptionId: id });
    const [d] = await deliveriesOf(id);
    expect(await deliverWebhook(d!.id)).toBe("retrying");
    expect(await deliverWebhook(d!.id)).toBe("retrying");
    expect(await deliverWebhook(d!.id)).toBe("dead");
    expect(await testDb().delivery.findUniqueOrThrow({ where: { id: d!.id } })).toMatchObject({ status: "dead", attempts: 3 });
    expect(await retryDelivery(admin.actor, { deliveryId: d!.id })).toMatchObject({ ok: true });
    const [job] = await testDb().$queryRaw<{ task: string }[]>`
      SELECT t.identifier AS task FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE j.key = ${`delivery:${d!.id}`}`;
    expect(job!.task).toBe("deliver_webhook");
    expect(await deliverWebhook(d!.id)).toBe("sent");
  });
});

describe("the audit stream's checkpoints", () => {
  it("sends each signed checkpoint as the witness keeps it", async () => {
    const { id, secret } = await subscribe("/witness", ["audit.checkpoint"]);
    const cp = await inTransaction((tx) => takeCheckpoint(tx, "on_demand", admin.id));
    const [d] = await deliveriesOf(id);
    expect(d!.kind).toBe("audit.checkpoint");
    expect(await deliverWebhook(d!.id)).toBe("sent");
    const r = received.find((x) => x.headers["webhook-id"] === d!.messageKey)!;
    const body = new Webhook(secret).verify(r.body, headersOf(r));
    expect(signedCheckpointSchema.parse(body)).toEqual(cp);
    expect(verifyCheckpointSignature(cp, publicKeyPemOf(process.env.AUDIT_SIGNING_KEY!))).toBe(true);
  });
});

describe("subscriptions", () => {
  it("are admin-only, validated, and every change is an audit event", async () => {
    expect(
      await createWebhookSubscription(manager.actor, {
        name: "n",
        url: url("/n"),
        eventTypes: ["change.submitted"],
        format: "standard",
        active: true,
      }),
    ).toMatchObject({ ok: false, message: "Only an admin can manage webhooks." });
    expect(
      await createWebhookSubscription(admin.actor, { name: "", url: "ftp://x", eventTypes: [], format: "standard", active: true }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { name: expect.any(String), eventTypes: expect.any(String) },
    });
    expect(
      await createWebhookSubscription(admin.actor, {
        name: "meta",
        url: "http://169.254.169.254/latest",
        eventTypes: ["change.submitted"],
        format: "standard",
        active: true,
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { url: expect.stringMatching(/link-local/) },
    });
    const { id } = await subscribe("/edit", ["change.submitted"]);
    expect(
      await updateWebhookSubscription(admin.actor, {
        subscriptionId: id,
        name: "Edited",
        url: url("/edit2"),
        eventTypes: ["change.closed"],
        format: "teams",
        active: false,
      }),
    ).toMatchObject({ ok: true });
    expect(await sendTestWebhook(admin.actor, { subscriptionId: id })).toMatchObject({ ok: false, message: /Turn the subscription on/ });
    expect(await deleteWebhookSubscription(admin.actor, { subscriptionId: id })).toMatchObject({ ok: true });
    expect(await deleteWebhookSubscription(admin.actor, { subscriptionId: id })).toMatchObject({ ok: false });
    const actions = (await testDb().auditEvent.findMany({ where: { entityId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["webhook.created", "webhook.updated", "webhook.deleted"]);
  });
});

describe("the demo's own receiver outside demo mode", () => {
  it("answers 404, even with the demo data loaded and a subscription to verify against", async () => {
    const { id, secret } = await subscribe("/not-the-demo", ["change.submitted"]);
    await testDb().appSetting.upsert({ where: { key: "demo_data" }, create: { key: "demo_data", value: true }, update: { value: true } });
    const body = JSON.stringify({ type: "change.submitted", data: {} });
    const at = new Date();
    const headers = {
      "webhook-id": "msg_outside_demo",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_outside_demo", at, body),
    };
    const response = await receiveDemo(
      new Request(`http://portal.test/api/demo-webhook-receiver/${id}`, { method: "POST", headers, body }),
      {
        params: Promise.resolve({ id }),
      },
    );
    expect(response.status).toBe(404);
    expect(await testDb().demoWebhookReceipt.count()).toBe(0);
    await testDb().appSetting.delete({ where: { key: "demo_data" } });
  });
});

describe("outbound requests (SSRF)", () => {
  const limits: PostLimits = { allowed: [], connectTimeoutMs: 2000, responseTimeoutMs: 2000, maxResponseBytes: 64 * 1024 };
  const post = (target: string, l: Partial<PostLimits> = {}) => postWebhook(target, {}, "{}", { ...limits, ...l });

  it("refuses loopback, private and link-local addresses, literal or behind a DNS name, unless allowed", async () => {
    const before = received.length;
    await expect(post(url("/ssrf"))).rejects.toThrow(RefusedDestination);
    await expect(post(`http://localhost:${PORT}/ssrf`)).rejects.toThrow(/localhost resolves to .*loopback/);
    await expect(post(`http://[::ffff:127.0.0.1]:${PORT}/ssrf`)).rejects.toThrow(/loopback/);
    await expect(post(`http://[::1]:${PORT}/ssrf`)).rejects.toThrow(/loopback/);
    await expect(post("http://10.1.2.3/ssrf")).rejects.toThrow(/private/);
    await expect(post("http://169.254.169.254/latest/meta-data")).rejects.toThrow(/link-local/);
    expect(received.length).toBe(before);
    await expect(post(`http://localhost:${PORT}/ssrf`, { allowed: parseAllowedRanges("127.0.0.1") })).resolves.toMatchObject({
      status: 200,
    });
  });

  it("follows no redirect, caps what it reads, and gives up on a receiver that does not answer", async () => {
    const allowed = parseAllowedRanges("127.0.0.1/32");
    const before = received.length;
    await expect(post(url("/redirect"), { allowed })).rejects.toThrow(/HTTP 302: redirects are not followed/);
    expect(received.length).toBe(before);
    const big = await post(url("/big"), { allowed, maxResponseBytes: 1000 });
    expect(big.excerpt.length).toBe(1000);
    const started = Date.now();
    await expect(post(url("/silent"), { allowed, responseTimeoutMs: 300 })).rejects.toThrow(/No complete answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("a receiver that never accepts the connection", () => {
  it("is given up after the connect timeout, as a failed attempt that says so", async () => {
    // A listener with a backlog of one whose process blocks before accept(): once its queue is
    // full the kernel drops further SYNs, so a connect() waits as it would on a black-holed address.
    const listener = spawn(
      process.execPath,
      [
        "-e",
        `const s = require("node:net").createServer();
         s.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
           process.stdout.write(s.address().port + "\\n");
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
         });`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const fillers: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => listener.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
      // Fill the accept queue until a connection no longer completes.
      for (let full = false; !full && fillers.length < 8;) {
        const socket = net.connect(port, "127.0.0.1");
        fillers.push(socket);
        full = await new Promise<boolean>((resolve) => {
          socket.once("connect", () => resolve(false));
          setTimeout(() => resolve(true), 300);
        });
      }
      expect(fillers.length).toBeLessThan(8);

      const made = await createWebhookSubscription(admin.actor, {
        name: "Black hole",
        url: `http://127.0.0.1:${port}/hook`,
        eventTypes: ["change.submitted"],
        format: "standard",
        active: true,
      });
      if (!made.ok) throw new Error(made.message);
      await sendTestWebhook(admin.actor, { subscriptionId: made.value.id });
      const [d] = await deliveriesOf(made.value.id);
      const started = Date.now();
      expect(await deliverWebhook(d!.id)).toBe("retrying");
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(await testDb().delivery.findUniqueOrThrow({ where: { id: d!.id } })).toMatchObject({
        status: "retrying",
        attempts: 1,
        responseStatus: null,
        // The connect timeout (1000 ms) ended it, not the response timeout (2000 ms).
        lastError: "No connection within 1000 ms.",
        sentAt: null,
      });
    } finally {
      for (const s of fillers) s.destroy();
      listener.kill("SIGKILL");
    }
  });
});
