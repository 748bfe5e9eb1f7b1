import { describe, expect, it } from "vitest";
import { signInInputSchema } from "@/lib/domain/sign-in-input";

describe("what a sign-in form may send", () => {
  it("accepts an address and password, normalising the address", () => {
    expect(signInInputSchema.parse({ email: "  Alice@Example.TEST ", password: "pw" })).toEqual({
      email: "alice@example.test",
      password: "pw",
    });
  });

  it.each([
    [{ email: "a\u0000@example.test", password: "pw" }],
    [{ email: "a\u001b@example.test", password: "pw" }],
    [{ email: "alice@example.test", password: "p\u0000w" }],
    [{ email: "x".repeat(321), password: "pw" }],
    [{ email: "alice@example.test", password: "p".repeat(257) }],
    [{ email: "alice@example.test", password: "" }],
    [{ email: "  ", password: "pw" }],
    [{ email: ["a@example.test"], password: "pw" }],
    [{ password: "pw" }],
    [null],
  ])("refuses %j", (input) => {
    expect(signInInputSchema.safeParse(input).success).toBe(false);
  });
});
