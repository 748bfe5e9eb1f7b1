import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/demo-webhook-receiver/[id]/route";
import { loadActor } from "@/lib/server/auth/current-actor";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { deliverWebhook } from "@/lib/server/webhooks/deliver-webhook";
import { listDemoReceipts } from "@/lib/server/webhooks/demo-receiver";
import { DEMO_RECEIVER_WEBHOOK_NAME } from "@/prisma/seed/demo-webhook";
import { seedIfEmpty } from "@/prisma/seed/seed";
import { completeDraft, createTestCi, testDb } from "../support/fixtures";

// The demo's own receiver, as `npm start` in demo mode runs it: the route's handler behind a real
// HTTP server on loopback (which the demo's allow-list names), the worker's delivery posting to it.
process.env.DEMO_WEBHOOK_RECEIVER = "on";
process.env.WEBHOOK_ALLOWED_PRIVATE_RANGES = "127.0.0.1/32";
process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";

const status: number[] = [];
let last: { headers: Record<string, string>; body: string } = { headers: {}, body: "" };
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const id = (req.url ?? "").split("/").pop()!;
    last = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") };
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: "POST",
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const response = await POST(request, { params: Promise.resolve({ id }) });
    status.push(response.status);
    res.writeHead(response.status).end(await response.text());
  });
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (subscriptionId: string, headers: Record<string, string>, body: string) =>
  POST(new Request(`${base}/api/demo-webhook-receiver/${subscriptionId}`, { method: "POST", headers, body }), {
    params: Promise.resolve({ id: subscriptionId }),
  });

describe("the demo's webhook receiver", () => {
  it("answers 404 while no demo data is loaded, even turned on", async () => {
    const someone = "00000000-0000-4000-8000-000000000000";
    expect((await post(someone, {}, "{}")).status).toBe(404);
  });

  it("receives the demo's change events, verified with the standardwebhooks library, and keeps each webhook-id once", async () => {
    expect(await seedIfEmpty(testDb(), { mode: "demo", webhookReceiverBase: base })).toBe("seeded-demo");
    const subscription = await testDb().webhookSubscription.findFirstOrThrow({ where: { name: DEMO_RECEIVER_WEBHOOK_NAME } });
    expect(subscription).toMatchObject({ active: true, url: `${base}/api/demo-webhook-receiver/${subscription.id}` });

    const requester = (await loadActor((await testDb().user.findUniqueOrThrow({ where: { email: "requester@demo.local" } })).id))!;
    const created = await createChangeDraft(requester, completeDraft([(await createTestCi()).id], { title: "Seen by the demo receiver" }));
    if (!created.ok) throw new Error(created.message);
    expect(await performChangeAction(requester, { changeId: created.value.id, action: "submit" })).toMatchObject({ ok: true });

    const [delivery, ...more] = await testDb().delivery.findMany({ where: { subscriptionId: subscription.id } });
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({ kind: "change.submitted", status: "pending" });
    expect(await deliverWebhook(delivery!.id)).toBe("sent");
    expect(status).toEqual([204]);

    // The same request again (at least once: a worker that died before recording it sends it again): counted, kept once.
    expect((await post(subscription.id, last.headers, last.body)).status).toBe(204);

    const receipts = await listDemoReceipts(await adminActor());
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ webhookId: delivery!.messageKey, eventType: "change.submitted", timesReceived: 2 });
    const payload = JSON.parse(receipts[0]!.body) as { data: { changeId: string } };
    expect(payload.data.changeId).toBe(created.value.id);
  });

  it("refuses, and keeps nothing of, a request whose signature does not verify", async () => {
    const subscription = await testDb().webhookSubscription.findFirstOrThrow({ where: { name: DEMO_RECEIVER_WEBHOOK_NAME } });
    const before = await testDb().demoWebhookReceipt.count();
    const body = JSON.stringify({ type: "change.approved", data: {} });
    const at = new Date();
    const forged = new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).sign("msg_forged", at, body);
    const headers = {
      "webhook-id": "msg_forged",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": forged,
    };
    const refused = await post(subscription.id, headers, body);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Not verified/) });
    // Signed with the right secret but an hour old: a replay.
    const old = new Date(Date.now() - 3_600_000);
    const replay = new Webhook(subscription.secret).sign("msg_old", old, body);
    expect(
      (
        await post(
          subscription.id,
          {
            ...headers,
            "webhook-id": "msg_old",
            "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
            "webhook-signature": replay,
          },
          body,
        )
      ).status,
    ).toBe(401);
    expect((await post(subscription.id, {}, body)).status).toBe(401);
    expect((await post("not-a-uuid", headers, body)).status).toBe(404);
    expect(await testDb().demoWebhookReceipt.count()).toBe(before);
  });
});

async function adminActor() {
  return (await loadActor((await testDb().user.findUniqueOrThrow({ where: { email: "admin@demo.local" } })).id))!;
}
