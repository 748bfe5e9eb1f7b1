import { describe, expect, it } from "vitest";
import { effectiveOptOuts, isActionNeeded, MAIL_SUBJECTS } from "@/lib/domain/mail-kinds";
import { renderMail } from "@/lib/domain/mail-message";
import { NOTIFICATION_KINDS } from "@/lib/domain/notification-kinds";
import { retryDelayMs } from "@/lib/domain/retry-backoff";

const base = {
  kind: "change_rejected" as const,
  message: `CHG-000042 "Patch <img src=x onerror=alert(1)> & 'friends'" was rejected.`,
  recipientName: "Riley <Requester>",
  changeRef: "CHG-000042",
  changeId: "5b0c7a4e-1d2f-4c39-9a57-3f0e2a1b9c11",
  portalUrl: "https://changes.example.org/",
};

describe("renderMail", () => {
  it("escapes everything user-written in the HTML and links the change absolutely", () => {
    const mail = renderMail(base);
    expect(mail.subject).toBe("[CHG-000042] Rejected");
    expect(mail.html).not.toMatch(/<img|onerror=alert\(1\)>/);
    expect(mail.html).toContain("Patch &lt;img src=x onerror=alert(1)&gt; &amp; &#39;friends&#39;");
    expect(mail.html).toContain("Hello Riley &lt;Requester&gt;,");
    expect(mail.html).toContain(`<a href="https://changes.example.org/changes/${base.changeId}">Open CHG-000042</a>`);
    expect(mail.text).toContain(`Open the change: https://changes.example.org/changes/${base.changeId}`);
    expect(mail.text).toContain(base.message);
    expect(mail.text).toContain("Choose which mails you receive: https://changes.example.org/account/mail");
  });

  it("keeps the subject on one line, so a title cannot add a header", () => {
    const mail = renderMail({ ...base, recipientName: "Eve\r\nBcc: attacker@example.org", changeRef: "CHG-1\r\nX-Evil: 1" });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text.split("\n")[0]).toBe("Hello Eve Bcc: attacker@example.org,");
  });

  it("tells the reader an action-needed mail cannot be turned off, and has no change link without a change", () => {
    const mail = renderMail({ ...base, kind: "vote_awaited", changeRef: null, changeId: null });
    expect(mail.subject).toBe(MAIL_SUBJECTS.vote_awaited);
    expect(mail.text).toMatch(/cannot be turned off/);
    expect(mail.text).not.toContain("/changes/");
    expect(mail.html).not.toContain("/account/mail");
  });

  it("links the CAB digest, about several changes, to the CAB queue", () => {
    const mail = renderMail({ ...base, kind: "cab_digest", changeRef: null, changeId: null });
    expect(mail.subject).toBe(MAIL_SUBJECTS.cab_digest);
    expect(mail.text).toContain("Open the CAB queue: https://changes.example.org/cab");
    expect(mail.html).toContain(`<a href="https://changes.example.org/cab">Open the CAB queue</a>`);
    expect(mail.text).not.toContain("/changes/");
  });
});

describe("mail kinds", () => {
  it("never let an action-needed kind be turned off", () => {
    expect(effectiveOptOuts([...NOTIFICATION_KINDS])).toEqual(NOTIFICATION_KINDS.filter((k) => !isActionNeeded(k)));
    expect(effectiveOptOuts(["vote_awaited", "sign_off_awaited", "review_awaited", "freeze_exception_awaited"])).toEqual([]);
  });
});

describe("retryDelayMs", () => {
  const settings = { baseMs: 1_000, maxMs: 60_000 };
  it("doubles per attempt, between half and all of its step, up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, settings, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, settings, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(40, settings, () => 1)).toBe(60_000);
    expect(retryDelayMs(40, settings, () => 0)).toBe(30_000);
  });

  it("spreads retries that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, settings)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
