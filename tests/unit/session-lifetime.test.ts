import { describe, expect, it } from "vitest";
import { sessionEndsAt, sessionIsLive, sessionTimesOf, shouldTouch } from "@/lib/domain/session-lifetime";

const limits = { idleMinutes: 30, maxHours: 8 };
const T = 1_800_000_000;

describe("when a session ends", () => {
  it("lives while requests keep coming, up to the absolute lifetime", () => {
    expect(sessionIsLive({ signedInAt: T, lastSeenAt: T }, limits, T + 29 * 60)).toBe(true);
    expect(sessionIsLive({ signedInAt: T, lastSeenAt: T + 7 * 3600 + 50 * 60 }, limits, T + 7 * 3600 + 59 * 60)).toBe(true);
  });

  it("ends after the idle timeout without a request", () => {
    expect(sessionIsLive({ signedInAt: T, lastSeenAt: T }, limits, T + 30 * 60)).toBe(false);
  });

  it("ends at the absolute lifetime however active", () => {
    expect(sessionEndsAt({ signedInAt: T, lastSeenAt: T + 8 * 3600 - 60 }, limits)).toBe(T + 8 * 3600);
    expect(sessionIsLive({ signedInAt: T, lastSeenAt: T + 8 * 3600 - 1 }, limits, T + 8 * 3600)).toBe(false);
  });

  it("reads a token without the times, or with impossible ones, as ended", () => {
    expect(sessionTimesOf({ sub: "u" })).toBeNull();
    expect(sessionTimesOf({ signedInAt: "1", lastSeenAt: 2 })).toBeNull();
    expect(sessionTimesOf({ signedInAt: T, lastSeenAt: T - 1 })).toBeNull();
    expect(sessionIsLive(null, limits, T)).toBe(false);
    // Signed in "in the future": a token not made by this clock.
    expect(sessionIsLive({ signedInAt: T + 3600, lastSeenAt: T + 3600 }, limits, T)).toBe(false);
  });

  it("renews the last-seen time at most once a minute", () => {
    expect(shouldTouch({ signedInAt: T, lastSeenAt: T }, T + 59)).toBe(false);
    expect(shouldTouch({ signedInAt: T, lastSeenAt: T }, T + 60)).toBe(true);
  });
});
