import { describe, expect, it, vi } from "vitest";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { currentActor, loadActor } from "@/lib/server/auth/current-actor";
import { startUserSession } from "@/lib/server/auth/user-session-rows";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Use cases never read the request: the session gate puts its metadata on the actor, and the
// audit events of what the actor does record its client address. Only next-auth's cookie reading
// and the request's headers are replaced here.
const session = vi.hoisted(() => ({ current: null as { user: { id: string; sessionVersion: number; sessionId: string } } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
const request = vi.hoisted(() => ({ headers: {} as Record<string, string> }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers(request.headers),
}));

async function signedIn(roles: Parameters<typeof createTestUser>[0] = {}) {
  const user = await createTestUser(roles);
  const { sessionVersion } = await testDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true } });
  const sessionId = await startUserSession({ userId: user.id, method: "password" });
  session.current = { user: { id: user.id, sessionVersion, sessionId } };
  return user;
}

describe("the request's metadata", () => {
  it("rides on the actor from the session gate, and the actor's events record its client address", async () => {
    request.headers = { "x-portal-peer-address": "203.0.113.77", "user-agent": "Probe/1.0", "x-forwarded-for": "198.51.100.1" };
    const user = await signedIn();
    const actor = await currentActor();
    // TRUSTED_PROXY_HOPS=0: the socket's address, not what the client claims.
    expect(actor?.request).toEqual({ clientAddress: "203.0.113.77", userAgent: "Probe/1.0" });

    const created = await createChangeDraft(actor, completeDraft([(await createTestCi()).id]));
    if (!created.ok) throw new Error(created.message);
    const changeId = created.value.id;
    expect(await performChangeAction(actor, { changeId, action: "submit" })).toMatchObject({ ok: true });
    // Refused (a requester may not assess): the runner's refusal event records it too.
    expect(await performChangeAction(actor, { changeId, action: "start_assessment" })).toMatchObject({ ok: false });
    const events = await readAuditEvents({ changeId, limit: 10 });
    expect(events.map((e) => [e.action, e.actorId, e.clientAddress])).toEqual([
      ["change.created", user.id, "203.0.113.77"],
      ["change.submitted", user.id, "203.0.113.77"],
      ["change.action_refused", user.id, "203.0.113.77"],
    ]);
  });

  it("is on the denial the session gate records", async () => {
    request.headers = { "x-portal-peer-address": "203.0.113.78" };
    const user = await signedIn();
    await testDb().user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    expect(await currentActor()).toBeNull();
    const denial = (await readAuditEvents({ limit: 10_000 })).filter((e) => e.actorId === user.id && e.action === "authorization.denied");
    expect(denial.map((e) => e.clientAddress)).toEqual(["203.0.113.78"]);
  });

  it("is absent from an actor built without a request (a script), whose events record no address", async () => {
    request.headers = { "x-portal-peer-address": "203.0.113.79" };
    const user = await createTestUser();
    const actor = await loadActor(user.id);
    expect(actor?.request).toBeUndefined();
    const created = await createChangeDraft(actor, completeDraft([(await createTestCi()).id]));
    if (!created.ok) throw new Error(created.message);
    const [event] = await readAuditEvents({ changeId: created.value.id, limit: 10 });
    expect(event).toMatchObject({ action: "change.created", clientAddress: null });
  });
});
