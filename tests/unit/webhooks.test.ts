import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { nonPublicReason, parseAllowedRanges, refusedAddress } from "@/lib/domain/outbound-address";
import { AUDIT_ACTION_EVENTS, webhookEventsOf } from "@/lib/domain/webhook-events";
import { renderWebhookBody, type WebhookNotice } from "@/lib/domain/webhook-payload";
import { newWebhookSecret, webhookSubscriptionSchema } from "@/lib/domain/webhook-subscription";
import { activeSecrets, webhookHeaders } from "@/lib/server/webhooks/sign-webhook";

describe("address classification (SSRF)", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["0.0.0.0", "this network"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fd12:3456::1", "unique local (private)"],
    ["fc00::1", "unique local (private)"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback (IPv4-mapped 127.0.0.1)"],
    ["::ffff:7f00:1", "loopback (IPv4-mapped 127.0.0.1)"],
    ["::ffff:169.254.169.254", "link-local (IPv4-mapped 169.254.169.254)"],
    ["::ffff:10.1.2.3", "private (IPv4-mapped 10.1.2.3)"],
    ["64:ff9b::a9fe:a9fe", "link-local (NAT64 169.254.169.254)"],
    ["2002:c0a8:0101::1", "private (6to4 192.168.1.1)"],
    ["::127.0.0.1", "loopback (IPv4-compatible 127.0.0.1)"],
    ["[::1]", "loopback"],
  ])("refuses %s as %s", (address, why) => {
    expect(nonPublicReason(address)).toBe(why);
    expect(refusedAddress(address, [])).toMatch(/WEBHOOK_ALLOWED_PRIVATE_RANGES does not name it/);
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2001:4860:4860::8888",
  ])("accepts the public address %s", (address) => expect(nonPublicReason(address)).toBeNull());

  it("is not fooled by names, and says so", () => {
    expect(nonPublicReason("localhost")).toBe("not an IP address");
    expect(refusedAddress("localhost", parseAllowedRanges("127.0.0.0/8"))).toMatch(/not an IP address/);
  });

  it("lets the allow-list name private ranges, the mapped forms of its IPv4 ranges included", () => {
    const allowed = parseAllowedRanges("127.0.0.1, 10.20.0.0/16 fd00::/8");
    expect(refusedAddress("127.0.0.1", allowed)).toBeNull();
    expect(refusedAddress("::ffff:127.0.0.1", allowed)).toBeNull();
    expect(refusedAddress("10.20.3.4", allowed)).toBeNull();
    expect(refusedAddress("fd00::5", allowed)).toBeNull();
    expect(refusedAddress("127.0.0.2", allowed)).not.toBeNull();
    expect(refusedAddress("10.21.0.1", allowed)).not.toBeNull();
    expect(refusedAddress("::1", allowed)).not.toBeNull();
    expect(() => parseAllowedRanges("10.0.0.0/33")).toThrow(/not an IP address or CIDR/);
    expect(() => parseAllowedRanges("intranet.local")).toThrow(/not an IP address or CIDR/);
  });
});

describe("event mapping", () => {
  it("maps each audit action to its events, and every event to the audit stream", () => {
    expect(webhookEventsOf("change.scheduled")).toEqual(["change.approved", "change.scheduled", "audit.event"]);
    expect(webhookEventsOf("change.implementation_started")).toEqual(["change.implementing", "audit.event"]);
    expect(webhookEventsOf("deployment.unauthorized")).toEqual(["deployment.unauthorized", "audit.event"]);
    expect(webhookEventsOf("change.vote_cast")).toEqual(["audit.event"]);
    expect(webhookEventsOf("toString")).toEqual(["audit.event"]);
    const announced = new Set(Object.values(AUDIT_ACTION_EVENTS).flat());
    for (const type of [
      "change.submitted",
      "change.approved",
      "change.rejected",
      "change.scheduled",
      "change.implementing",
      "change.implemented",
      "change.closed",
      "change.cancelled",
      "deployment.unauthorized",
    ])
      expect(announced).toContain(type);
  });

  it("sends the audit stream only in the standard format", () => {
    const base = { name: "SIEM", url: "https://siem.example.test/hook", active: true };
    expect(webhookSubscriptionSchema.safeParse({ ...base, eventTypes: ["audit.event"], format: "standard" }).success).toBe(true);
    expect(webhookSubscriptionSchema.safeParse({ ...base, eventTypes: ["audit.checkpoint"], format: "teams" }).success).toBe(false);
    expect(webhookSubscriptionSchema.safeParse({ ...base, eventTypes: ["change.closed"], format: "slack" }).success).toBe(true);
    expect(webhookSubscriptionSchema.safeParse({ ...base, eventTypes: ["change.nope"], format: "standard" }).success).toBe(false);
  });
});

describe("payloads and signatures", () => {
  const notice: WebhookNotice = {
    type: "change.rejected",
    occurredAt: "2026-12-07T10:00:00.000Z",
    auditSeq: 42,
    action: "change.rejected",
    actorEmail: "cab@example.test",
    entityType: "change",
    entityId: "c1",
    changeId: "c1",
    before: { state: "authorization" },
    after: { state: "rejected" },
    reason: "<!channel> *too risky* [x](http://evil)",
    url: "https://portal.example.test/changes/c1",
  };

  it("renders Standard Webhooks JSON, and chat messages that keep user text from becoming markup", () => {
    expect(JSON.parse(renderWebhookBody(notice, "standard"))).toMatchObject({
      type: "change.rejected",
      timestamp: notice.occurredAt,
      data: { auditSeq: 42, reason: notice.reason },
    });
    const slack = JSON.parse(renderWebhookBody(notice, "slack")).text as string;
    expect(slack).toContain("<https://portal.example.test/changes/c1|Open the change>");
    expect(slack).toContain("&lt;!channel&gt;");
    expect(slack).not.toContain("<!channel>");
    const teams = JSON.parse(renderWebhookBody(notice, "teams"));
    expect(teams.text).toContain("[Open the change](https://portal.example.test/changes/c1)");
    expect(teams.text).toContain("\\[x\\]\\(http://evil\\)");
  });

  it("signs so that standardwebhooks verifies, with every active secret during a rotation", () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = renderWebhookBody(notice, "standard");
    const now = new Date();
    const headers = webhookHeaders("webhook.s.event-42.change.rejected", now, body, [a, b]);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ type: "change.rejected" });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ type: "change.rejected" });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(a).verify(body.replace("42", "43"), headers)).toThrow();
    const later = new Date(now.getTime() + 3_600_000);
    const sub = { secret: b, previousSecret: a, previousSecretExpiresAt: new Date(now.getTime() + 60_000) };
    expect(activeSecrets(sub, now)).toEqual([b, a]);
    expect(activeSecrets(sub, later)).toEqual([b]);
  });
});
