import { describe, expect, it } from "vitest";
import { authenticate, INVALID_CREDENTIALS } from "@/lib/server/auth/authenticate";
import { createTestUser, testDb } from "../support/fixtures";

// This file's database allows 3 failures per account and 6 per address (per-file-database.ts).
const THROTTLED = /^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/;
let address = 0;
const freshAddress = () => `198.51.100.${++address}`;

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const user = await createTestUser({ password: "correct horse battery staple" });
    const ip = freshAddress();
    expect(await authenticate({ email: user.email, password: "correct horse battery staple" }, ip)).toEqual({
      ok: true,
      userId: user.id,
      sessionVersion: 1,
      method: "password",
    });
    expect(await authenticate({ email: user.email, password: "wrong horse battery staple" }, ip)).toEqual({
      ok: false,
      message: INVALID_CREDENTIALS,
    });
  });

  it("matches the email address whatever its case and surrounding spaces", async () => {
    const user = await createTestUser();
    const result = await authenticate(
      { email: `  ${user.email.toUpperCase()} `, password: "correct horse battery staple" },
      freshAddress(),
    );
    expect(result.ok).toBe(true);
  });

  it("answers an unknown account and a deactivated one exactly as a wrong password", async () => {
    const inactive = await createTestUser({ active: false });
    const ip = freshAddress();
    const unknown = await authenticate({ email: "nobody@example.test", password: "whatever it is" }, ip);
    const deactivated = await authenticate({ email: inactive.email, password: "correct horse battery staple" }, ip);
    expect(unknown).toEqual({ ok: false, message: INVALID_CREDENTIALS });
    expect(deactivated).toEqual(unknown);
  });

  it("answers control characters in the address with the one message, before the database sees them", async () => {
    for (const email of ["nul\u0000byte@example.test", "esc\u001b@example.test"]) {
      expect(await authenticate({ email, password: "whatever it is" }, freshAddress())).toEqual({
        ok: false,
        message: INVALID_CREDENTIALS,
      });
    }
  });

  it("does not lock the shared 'unknown' address: only the account counts when the address is not known", async () => {
    const user = await createTestUser();
    for (let i = 0; i < 6; i++) await authenticate({ email: `unplaced${i}@example.test`, password: "guess" }, "unknown");
    expect((await authenticate({ email: user.email, password: "correct horse battery staple" }, "unknown")).ok).toBe(true);
  });

  it("hashes long passwords whole: 200 characters work and the last one counts", async () => {
    const long = "p".repeat(199) + "!";
    const user = await createTestUser({ password: long });
    const ip = freshAddress();
    expect((await authenticate({ email: user.email, password: long }, ip)).ok).toBe(true);
    expect((await authenticate({ email: user.email, password: "p".repeat(199) + "?" }, ip)).ok).toBe(false);
  });

  it("stores argon2id hashes at OWASP's parameters", async () => {
    const user = await createTestUser();
    const row = await testDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("locks an account after 3 failures, even for the right password, and counts parallel failures", async () => {
    const user = await createTestUser();
    const ip = freshAddress();
    await Promise.all([1, 2, 3].map(() => authenticate({ email: user.email, password: "not it at all" }, ip)));
    const locked = await authenticate({ email: user.email, password: "correct horse battery staple" }, freshAddress());
    expect(locked.ok).toBe(false);
    expect(!locked.ok && locked.message).toMatch(THROTTLED);
  });

  it("locks an unknown account the same way, so a lock-out reveals nothing", async () => {
    const ip = freshAddress();
    for (let i = 0; i < 3; i++) await authenticate({ email: "ghost@example.test", password: "guess" }, ip);
    const result = await authenticate({ email: "ghost@example.test", password: "guess" }, freshAddress());
    expect(!result.ok && result.message).toMatch(THROTTLED);
  });

  it("locks a client address after 6 failures across accounts, and only that address", async () => {
    const user = await createTestUser();
    const ip = freshAddress();
    for (let i = 0; i < 6; i++) await authenticate({ email: `spray${i}@example.test`, password: "guess" }, ip);
    const fromThere = await authenticate({ email: user.email, password: "correct horse battery staple" }, ip);
    expect(!fromThere.ok && fromThere.message).toMatch(THROTTLED);
    expect((await authenticate({ email: user.email, password: "correct horse battery staple" }, freshAddress())).ok).toBe(true);
  });

  it("clears an account's failures after a successful sign-in", async () => {
    const user = await createTestUser();
    const ip = freshAddress();
    for (let i = 0; i < 2; i++) await authenticate({ email: user.email, password: "nope nope" }, ip);
    expect((await authenticate({ email: user.email, password: "correct horse battery staple" }, ip)).ok).toBe(true);
    for (let i = 0; i < 2; i++) await authenticate({ email: user.email, password: "nope nope" }, freshAddress());
    expect((await authenticate({ email: user.email, password: "correct horse battery staple" }, freshAddress())).ok).toBe(true);
  });
});
