import { describe, expect, it } from "vitest";
import {
  decideApproveFreezeException,
  decideRequestFreezeException,
  type StoredFreezeException,
} from "@/lib/domain/decide-freeze-exception";
import { decideReschedule } from "@/lib/domain/decide-reschedule";
import { draftChange, NOW, people } from "./change-fixtures";

const frozen = draftChange("normal", { state: "authorization", insideFreeze: true, implementerId: people.implementer.id });
const stored = (extra: Partial<StoredFreezeException> = {}): StoredFreezeException => ({
  requestedById: people.requester.id,
  windowStart: frozen.plannedStart!,
  windowEnd: frozen.plannedEnd!,
  managerApproverId: null,
  securityApproverId: null,
  ...extra,
});
const reasons = (d: ReturnType<typeof decideRequestFreezeException>) => (d.allowed ? [] : d.reasons);

describe("asking for a freeze exception", () => {
  it("is for the requester or a change manager, with a reason, when the window is inside a freeze", () => {
    expect(decideRequestFreezeException(frozen, people.requester, "Regulator deadline.", null).allowed).toBe(true);
    expect(decideRequestFreezeException(frozen, people.manager, "Regulator deadline.", null).allowed).toBe(true);
    expect(reasons(decideRequestFreezeException(frozen, people.cab1, "x", null))).toEqual([
      "Only the change's requester or a change manager can ask for a freeze exception.",
    ]);
    expect(reasons(decideRequestFreezeException(frozen, people.requester, "  ", null))).toEqual([
      "Say why the change cannot wait until the freeze ends.",
    ]);
  });

  it("is refused when there is nothing to except, for emergencies and major changes, and twice for one window", () => {
    expect(reasons(decideRequestFreezeException({ ...frozen, insideFreeze: false }, people.requester, "x", null))[0]).toMatch(
      /not inside a freeze/,
    );
    expect(reasons(decideRequestFreezeException({ ...frozen, type: "emergency" }, people.requester, "x", null))[0]).toMatch(
      /no exception is needed/,
    );
    expect(reasons(decideRequestFreezeException({ ...frozen, type: "major" }, people.requester, "x", null))[0]).toMatch(
      /never scheduled inside a freeze/,
    );
    expect(reasons(decideRequestFreezeException(frozen, people.requester, "x", stored()))[0]).toMatch(/already requested/);
    expect(decideRequestFreezeException(frozen, people.requester, "x", stored({ windowStart: new Date(0) })).allowed).toBe(true);
  });
});

describe("approving a freeze exception", () => {
  it("needs a change manager and a security reviewer; the second approval grants it", () => {
    const first = decideApproveFreezeException(frozen, people.manager, "change_manager", stored());
    expect(first).toMatchObject({ allowed: true, audit: { details: { granted: false } } });
    const second = decideApproveFreezeException(
      frozen,
      people.security,
      "security_reviewer",
      stored({ managerApproverId: people.manager.id }),
    );
    expect(second).toMatchObject({ allowed: true, audit: { details: { granted: true } } });
  });

  it("refuses the requester, the implementer, the one who asked, the wrong role, a second approval in a slot, and one person twice", () => {
    const both = { id: "both", roles: ["change_manager", "security_reviewer"] as const };
    const refusal = (...args: Parameters<typeof decideApproveFreezeException>) => {
      const d = decideApproveFreezeException(...args);
      return d.allowed ? "allowed" : d.reasons.join(" ");
    };
    expect(refusal(frozen, { id: people.requester.id, roles: ["requester", "change_manager"] }, "change_manager", stored())).toMatch(
      /You requested this change/,
    );
    expect(
      refusal(frozen, { id: people.implementer.id, roles: ["implementer", "security_reviewer"] }, "security_reviewer", stored()),
    ).toMatch(/You are the implementer/);
    expect(refusal(frozen, people.manager, "change_manager", stored({ requestedById: people.manager.id }))).toMatch(
      /You asked for this exception/,
    );
    expect(refusal(frozen, people.cab1, "security_reviewer", stored())).toMatch(/Only a security reviewer/);
    expect(refusal(frozen, people.manager2, "change_manager", stored({ managerApproverId: people.manager.id }))).toMatch(
      /already approved/,
    );
    expect(refusal(frozen, { ...both, roles: [...both.roles] }, "security_reviewer", stored({ managerApproverId: "both" }))).toMatch(
      /another person/,
    );
    expect(refusal(frozen, people.manager, "change_manager", stored({ windowStart: new Date(0) }))).toMatch(/rescheduled/);
    expect(refusal(frozen, people.manager, "change_manager", null)).toMatch(/No freeze exception/);
  });
});

describe("rescheduling", () => {
  const window = { start: new Date("2026-03-10T20:00:00Z"), end: new Date("2026-03-10T21:00:00Z") };
  const block = { kind: "freeze" as const, severity: "block" as const, message: "Inside the freeze.", proceed: "Move it." };
  it("is for change managers on changes in authorization or scheduled, into a valid future window", () => {
    expect(decideReschedule({ ...frozen, state: "scheduled" }, people.manager, window, NOW, []).allowed).toBe(true);
    expect(decideReschedule(frozen, people.requester, window, NOW, [])).toMatchObject({
      allowed: false,
      reasons: ["Only a change manager can reschedule a change."],
    });
    expect(decideReschedule({ ...frozen, state: "implementing" }, people.manager, window, NOW, []).allowed).toBe(false);
    expect(decideReschedule(frozen, people.manager, { start: window.end, end: window.start }, NOW, []).allowed).toBe(false);
    expect(decideReschedule(frozen, people.manager, { start: new Date("2026-03-01T00:00:00Z"), end: window.end }, NOW, []).allowed).toBe(
      false,
    );
  });

  it("never moves a scheduled change into a block, and says why", () => {
    expect(decideReschedule({ ...frozen, state: "scheduled" }, people.manager, window, NOW, [block])).toEqual({
      allowed: false,
      reasons: ["Inside the freeze. Move it."],
    });
    // In authorization the block stays on the change and stops the schedule step instead.
    expect(decideReschedule(frozen, people.manager, window, NOW, [block]).allowed).toBe(true);
  });
});
