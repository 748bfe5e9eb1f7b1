import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { createWebhookSubscription } from "@/lib/server/webhooks/manage-subscriptions";
import { appEnv } from "../../scripts/lib/app-env";
import { WORKER_CHILD_ARGS } from "../../scripts/lib/worker-in-child";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// The real worker, as `npm run worker` starts it, in child processes this test kills.
process.env.WEBHOOK_ALLOWED_PRIVATE_RANGES = "127.0.0.1/32";
process.env.NEXTAUTH_URL = "https://changes.example.test";

type Received = { headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
let inFlight: (r: Received) => void;
const firstArrived = new Promise<Received>((resolve) => (inFlight = resolve));
let heldDropped: () => void;
const heldClosed = new Promise<void>((resolve) => (heldDropped = resolve));

// The first request is read whole and never answered: the worker is killed while it waits.
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const got = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    received.push(got);
    if (received.length > 1) return res.writeHead(200).end("ok");
    res.on("close", () => heldDropped());
    inFlight(got);
  });
});

type Worker = { child: ChildProcess; output: () => string; exited: Promise<NodeJS.Signals | number | null> };
const workers: Worker[] = [];

/** `npm run worker`'s child: tsx and the node process it runs, in a process group of their own so one signal reaches both. */
function startWorker(): Worker {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), WORKER_CHILD_ARGS, {
    env: appEnv(process.env.DATABASE_URL!, 3000),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const worker = { child, output: () => output, exited };
  workers.push(worker);
  return worker;
}

/** Whether any process of the worker's group is still alive. */
function groupAlive(w: Worker): boolean {
  try {
    process.kill(-w.child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}\n${workers.map((w) => w.output()).join("\n---\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let port: number;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const w of workers) if (groupAlive(w)) process.kill(-w.child.pid!, "SIGKILL");
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("a webhook worker killed mid-delivery", () => {
  it("delivers after a restart, and every request the receiver saw carries the same, verifiable webhook-id", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const requester = await createTestUser({ roles: ["requester"] });
    const made = await createWebhookSubscription(admin.actor, {
      name: "Held receiver",
      url: `http://127.0.0.1:${port}/hook`,
      eventTypes: ["change.submitted"],
      format: "standard",
      active: true,
    });
    if (!made.ok) throw new Error(made.message);
    const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id], { title: "Killed mid-send" }));
    if (!created.ok) throw new Error(created.message);
    expect(await performChangeAction(requester.actor, { changeId: created.value.id, action: "submit" })).toMatchObject({ ok: true });
    const delivery = await testDb().delivery.findFirstOrThrow({ where: { subscriptionId: made.value.id } });

    const first = startWorker();
    const held = await Promise.race([
      firstArrived,
      first.exited.then((how) => Promise.reject(new Error(`The worker exited (${how}) before sending:\n${first.output()}`))),
    ]);
    expect(await testDb().delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "sending", attempts: 1 });

    // SIGKILL: no handler runs, nothing is recorded; the kernel drops the worker's connections.
    process.kill(-first.child.pid!, "SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await heldClosed;
    await waitFor(
      "the killed worker's processes to be gone",
      async () => groupAlive(first),
      (alive) => !alive,
    );
    const left = await testDb().delivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(left).toMatchObject({ status: "sending", attempts: 1, sentAt: null });

    // The claim is as old as the rescue waits for; then the worker's rescue task (its cron's, every
    // five minutes) is queued now rather than waited for.
    await testDb().$executeRaw`UPDATE deliveries SET claimed_at = claimed_at - interval '11 minutes' WHERE id = ${delivery.id}::uuid`;
    const second = startWorker();
    await testDb().$queryRaw`SELECT graphile_worker.add_job('rescue_deliveries') IS NOT NULL AS added`;
    const sent = await waitFor(
      "the delivery to be sent by the restarted worker",
      () => testDb().delivery.findUniqueOrThrow({ where: { id: delivery.id } }),
      (d) => d.status === "sent",
    );
    expect(sent).toMatchObject({ attempts: 2, responseStatus: 200, lastError: null });

    expect(received).toHaveLength(2);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([delivery.messageKey, delivery.messageKey]);
    expect(received[0]).toBe(held);
    const wh = new Webhook(made.value.secret);
    for (const r of received) {
      const payload = wh.verify(r.body, {
        "webhook-id": String(r.headers["webhook-id"]),
        "webhook-timestamp": String(r.headers["webhook-timestamp"]),
        "webhook-signature": String(r.headers["webhook-signature"]),
      }) as { type: string; data: { changeId: string } };
      expect(payload).toMatchObject({ type: "change.submitted", data: { changeId: created.value.id } });
    }

    second.child.kill("SIGTERM");
    await second.exited;
  }, 60_000);
});
