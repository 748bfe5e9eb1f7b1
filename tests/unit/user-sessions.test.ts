import { describe, expect, it } from "vitest";
import { signInAddress } from "@/lib/domain/sign-in-address";
import {
  USER_AGENT_MAX_LENGTH,
  deviceLabel,
  deviceOf,
  lastSeenIsStale,
  sessionEndedMessage,
  sessionExpiredAt,
  sessionRowIsLive,
  truncatedUserAgent,
} from "@/lib/domain/user-sessions";

const UA = {
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
  firefoxLinux: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  chromeIos:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  samsungAndroid:
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  operaMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
  chromebook: "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  headless: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/136.0.7103.25 Safari/537.36",
};

describe("deviceOf", () => {
  it.each([
    [UA.chromeWindows, "Chrome 131 on Windows"],
    [UA.edgeWindows, "Edge 131 on Windows"],
    [UA.firefoxLinux, "Firefox 133 on Linux"],
    [UA.safariMac, "Safari 18 on macOS"],
    [UA.safariIphone, "Safari 18 on iOS"],
    [UA.chromeIos, "Chrome 131 on iOS"],
    [UA.samsungAndroid, "Samsung Internet 26 on Android"],
    [UA.operaMac, "Opera 115 on macOS"],
    [UA.chromebook, "Chrome 131 on ChromeOS"],
    [UA.headless, "Chrome 136 on Linux"],
    ["curl/8.5.0", "curl 8"],
  ])("names %s", (ua, label) => {
    expect(deviceLabel(ua)).toBe(label);
  });

  it("says what it cannot tell", () => {
    expect(deviceLabel(null)).toBe("Unknown device");
    expect(deviceLabel("")).toBe("Unknown device");
    expect(deviceLabel("<script>alert(1)</script>")).toBe("Unknown device");
    expect(deviceLabel("SomeBot (Windows)")).toBe("A browser on Windows");
    expect(deviceOf("Mozilla/5.0 (Windows NT 10.0)")).toEqual({ browser: null, os: "Windows" });
  });

  it("stays quick on a hostile, very long header", () => {
    const started = performance.now();
    deviceOf(`Version/1${".1".repeat(50_000)} ${"x".repeat(50_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("truncatedUserAgent", () => {
  it("keeps at most the column's length and nothing for blank", () => {
    expect(truncatedUserAgent("x".repeat(2000))).toHaveLength(USER_AGENT_MAX_LENGTH);
    expect(truncatedUserAgent("  ")).toBeNull();
    expect(truncatedUserAgent(undefined)).toBeNull();
  });
});

describe("session rows", () => {
  const limits = { idleMinutes: 30, maxHours: 8 };
  const t0 = new Date("2030-01-07T08:00:00Z");
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const row = (lastSeenMinutes: number, endedAt: Date | null = null) => ({ createdAt: t0, lastSeenAt: at(lastSeenMinutes), endedAt });

  it("is live until idle (with a minute's slack for the once-a-minute write) or too old", () => {
    expect(sessionRowIsLive(row(0), limits, at(30))).toBe(true);
    expect(sessionRowIsLive(row(0), limits, at(31))).toBe(false);
    expect(sessionRowIsLive(row(470), limits, at(479))).toBe(true);
    expect(sessionRowIsLive(row(470), limits, at(480))).toBe(false);
  });

  it("is never live once ended", () => {
    expect(sessionRowIsLive(row(0, at(1)), limits, at(2))).toBe(false);
  });

  it("records expiry at the earlier of the two limits", () => {
    expect(sessionExpiredAt(row(0), limits)).toEqual(at(31));
    expect(sessionExpiredAt(row(470), limits)).toEqual(at(480));
  });

  it("writes the last-seen time at most once a minute", () => {
    expect(lastSeenIsStale(at(0), new Date(at(1).getTime() - 1000))).toBe(false);
    expect(lastSeenIsStale(at(0), at(1))).toBe(true);
  });
});

describe("the sign-in page's message for an ended session", () => {
  it("names the reason it knows and never echoes the parameter", () => {
    expect(sessionEndedMessage("ended_by_admin")).toMatch(/An admin ended your sessions/);
    expect(sessionEndedMessage("ended_by_user")).toMatch(/another of your sessions/);
    expect(sessionEndedMessage("<b>pwned</b>")).toBe("Your session has ended. Sign in again.");
    expect(sessionEndedMessage("toString")).toBe("Your session has ended. Sign in again.");
    expect(sessionEndedMessage(undefined)).toBeUndefined();
  });

  it("is carried by the sign-in address", () => {
    expect(signInAddress("/changes/1", "ended_by_admin")).toBe("/signin?callbackUrl=%2Fchanges%2F1&ended=ended_by_admin");
    expect(signInAddress("/", "expired")).toBe("/signin?ended=expired");
    expect(signInAddress("/changes/1")).toBe("/signin?callbackUrl=%2Fchanges%2F1");
  });
});
