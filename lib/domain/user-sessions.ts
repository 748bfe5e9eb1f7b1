// Signed-in sessions as the server keeps them (user_sessions): how they are shown, when one is
// live, why one ended and what the sign-in page says about it.
import { TOUCH_AFTER_SECONDS, sessionIsLive, type SessionLimits } from "./session-lifetime";

export const SESSION_END_REASONS = [
  "signed_out",
  "ended_by_user",
  "signed_out_everywhere",
  "ended_by_admin",
  "password_changed",
  "password_reset",
  "deactivated",
  "expired",
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export type SignInMethod = "password" | "sso";

/** Longer user agents are cut: the column holds at most this many characters. */
export const USER_AGENT_MAX_LENGTH = 512;

/** Ended and expired sessions are kept this long for "where was I signed in", then pruned nightly. */
export const ENDED_SESSION_RETENTION_DAYS = 30;

export function truncatedUserAgent(userAgent: string | null | undefined): string | null {
  const trimmed = userAgent?.trim();
  return trimmed ? trimmed.slice(0, USER_AGENT_MAX_LENGTH) : null;
}

const BROWSERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  // Order matters: Edge, Opera and Samsung say "Chrome" too, and Chrome says "Safari".
  ["Edge", /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /\b(?:OPR|Opera)\/(\d+)/],
  ["Samsung Internet", /\bSamsungBrowser\/(\d+)/],
  ["Firefox", /\b(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
  // Safari names its version before "Safari/"; checked apart so no pattern backtracks on a long header.
  ["Safari", /\bVersion\/(\d+)/],
  ["curl", /^curl\/(\d+)/],
];

const SYSTEMS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  // iPads and iPhones say "like Mac OS X", Android says "Linux": the specific ones first.
  ["iOS", /\b(?:iPhone|iPad|iPod)\b/],
  ["Android", /\bAndroid\b/],
  ["ChromeOS", /\bCrOS\b/],
  ["Windows", /\bWindows\b/],
  ["macOS", /\bMac OS X\b|\bMacintosh\b/],
  ["Linux", /\bLinux\b|\bX11\b/],
];

export type Device = { browser: string | null; os: string | null };

/** The browser (with its major version) and operating system a user agent names, as far as it says. */
export function deviceOf(userAgent: string | null | undefined): Device {
  const ua = (userAgent ?? "").slice(0, USER_AGENT_MAX_LENGTH);
  let browser: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    if (name === "Safari" && !ua.includes("Safari/")) continue;
    const match = pattern.exec(ua);
    if (match) {
      browser = `${name} ${match[1]}`;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0] ?? null;
  return { browser, os };
}

/** "Firefox 133 on Windows", "Chrome 131", "Unknown device". */
export function deviceLabel(userAgent: string | null | undefined): string {
  const { browser, os } = deviceOf(userAgent);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? (os ? `A browser on ${os}` : "Unknown device");
}

export type SessionRow = { createdAt: Date; lastSeenAt: Date; endedAt: Date | null };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Whether a session row may still be in use: not ended, and within its idle and absolute limits.
 * The row's last-seen time is written at most once a minute, so it is given that much slack.
 */
export function sessionRowIsLive(row: SessionRow, limits: SessionLimits, now: Date): boolean {
  if (row.endedAt) return false;
  const lastSeenAt = Math.max(seconds(row.lastSeenAt) + TOUCH_AFTER_SECONDS, seconds(row.createdAt));
  return sessionIsLive({ signedInAt: seconds(row.createdAt), lastSeenAt }, limits, seconds(now));
}

/** Whether this request should write the row's last-seen time (at most once a minute). */
export function lastSeenIsStale(lastSeenAt: Date, now: Date): boolean {
  return seconds(now) - seconds(lastSeenAt) >= TOUCH_AFTER_SECONDS;
}

/** The moment an unended row stopped being usable, for the prune job to record it as expired. */
export function sessionExpiredAt(row: SessionRow, limits: SessionLimits): Date {
  const idleEnd = row.lastSeenAt.getTime() + (limits.idleMinutes * 60 + TOUCH_AFTER_SECONDS) * 1000;
  const absoluteEnd = row.createdAt.getTime() + limits.maxHours * 3_600_000;
  return new Date(Math.min(idleEnd, absoluteEnd));
}

const END_MESSAGES: Record<SessionEndReason, string> = {
  signed_out: "You signed out of this session.",
  ended_by_user: "This session was signed out from another of your sessions.",
  signed_out_everywhere: "You signed out everywhere: every session of yours has ended.",
  ended_by_admin: "An admin ended your sessions. Sign in again; ask an admin if you do not know why.",
  password_changed: "Your password was changed in another session, so this one has ended.",
  password_reset: "An admin reset your password, so your sessions have ended.",
  deactivated: "Your account is deactivated. Ask an admin to reactivate it.",
  expired: "Your session expired. Sign in again.",
};
const GENERIC_END = "Your session has ended. Sign in again.";

export function isSessionEndReason(value: unknown): value is SessionEndReason {
  return typeof value === "string" && (SESSION_END_REASONS as readonly string[]).includes(value);
}

/** What the sign-in page says for its `ended` parameter; never echoes the parameter itself. */
export function sessionEndedMessage(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  return isSessionEndReason(reason) ? END_MESSAGES[reason] : GENERIC_END;
}

export const END_REASON_LABELS: Record<SessionEndReason, string> = {
  signed_out: "Signed out",
  ended_by_user: "Signed out from another session",
  signed_out_everywhere: "Signed out everywhere",
  ended_by_admin: "Ended by an admin",
  password_changed: "Password changed",
  password_reset: "Password reset by an admin",
  deactivated: "Account deactivated",
  expired: "Expired",
};
