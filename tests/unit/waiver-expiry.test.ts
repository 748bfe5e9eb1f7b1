import { describe, expect, it } from "vitest";
import { checklistReliedUntil, evidenceStanding } from "@/lib/domain/waiver-expiry";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-12-08T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe("checklistReliedUntil", () => {
  const open = { state: "scheduled" as const, implementedAt: null, closedAt: null, updatedAt: ago(1) };

  it("is the outcome's time, else the close, else a rejection's or cancellation's last write; null while under way", () => {
    expect(checklistReliedUntil({ ...open, state: "closed", implementedAt: ago(9), closedAt: ago(5) })).toEqual(ago(9));
    expect(checklistReliedUntil({ ...open, state: "review", implementedAt: ago(9) })).toEqual(ago(9));
    expect(checklistReliedUntil({ ...open, state: "closed", closedAt: ago(5) })).toEqual(ago(5));
    expect(checklistReliedUntil({ ...open, state: "rejected" })).toEqual(ago(1));
    expect(checklistReliedUntil({ ...open, state: "cancelled" })).toEqual(ago(1));
    expect(checklistReliedUntil(open)).toBeNull();
    expect(checklistReliedUntil({ ...open, state: "implementing" })).toBeNull();
  });
});

describe("evidenceStanding", () => {
  const waived = (expires: Date | null) => ({ status: "waived" as const, waiverExpiresAt: expires });

  it("shows a waiver that lapsed after the change was done as waived, with the day it lapsed", () => {
    expect(evidenceStanding(waived(ago(3)), ago(10), NOW)).toEqual({ standing: "waived", lapsedOn: ago(3) });
  });

  it("shows a waiver that lapsed before the change was done, or while it is under way, as lapsed", () => {
    expect(evidenceStanding(waived(ago(10)), ago(3), NOW)).toEqual({ standing: "lapsed", lapsedOn: ago(10) });
    expect(evidenceStanding(waived(ago(3)), ago(3), NOW)).toEqual({ standing: "lapsed", lapsedOn: ago(3) });
    expect(evidenceStanding(waived(ago(3)), null, NOW)).toEqual({ standing: "lapsed", lapsedOn: ago(3) });
  });

  it("leaves a standing waiver, a sign-off and a pending item as they are", () => {
    const later = new Date(NOW.getTime() + DAY);
    expect(evidenceStanding(waived(later), ago(3), NOW)).toEqual({ standing: "waived", lapsedOn: null });
    expect(evidenceStanding(waived(null), ago(3), NOW)).toEqual({ standing: "waived", lapsedOn: null });
    expect(evidenceStanding({ status: "signed", waiverExpiresAt: null }, ago(3), NOW)).toEqual({ standing: "signed", lapsedOn: null });
    expect(evidenceStanding({ status: "pending", waiverExpiresAt: null }, null, NOW)).toEqual({ standing: "pending", lapsedOn: null });
  });

  it("judges a change done in the future (a clock ahead of ours) as of now", () => {
    expect(evidenceStanding(waived(ago(3)), new Date(NOW.getTime() + DAY), NOW)).toEqual({ standing: "lapsed", lapsedOn: ago(3) });
  });
});
