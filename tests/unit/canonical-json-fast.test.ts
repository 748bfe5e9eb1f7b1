import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashedContent, hashedContentJson, type AuditEventRecord } from "@/lib/domain/audit-event";
import { canonicalJson, carefulCanonicalJson, jsonString } from "@/lib/domain/canonical-json";

// Every stored hash depends on these bytes: the fast paths must write exactly what the careful
// serializer writes, on any value.

// Strings from every corner: full Unicode (astral, lone surrogates), escapes and control characters.
const anyString = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.string({
    unit: fc.constantFrom('"', "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u2028", "\ud800", "\udfff", "😀", "é", "a", "0", "/"),
  }),
);
const anyNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER),
);
const anyKey = fc.oneof(anyString, fc.nat().map(String), fc.constantFrom("__proto__", "toJSON", "constructor", "a", "B", "10", "9"));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), anyNumber, anyString, tie("array"), tie("object")),
  array: fc.array(tie("json"), { maxLength: 6 }),
  object: fc.dictionary(anyKey, tie("json"), { maxKeys: 6 }),
}));

describe("canonicalJson's fast path", () => {
  it("writes the careful serializer's bytes for any JSON value", () => {
    fc.assert(
      fc.property(json, (value) => canonicalJson(value) === carefulCanonicalJson(value)),
      { numRuns: 3_000 },
    );
  });

  it("writes the careful serializer's bytes whatever order keys were inserted in", () => {
    fc.assert(
      fc.property(fc.dictionary(anyKey, json, { maxKeys: 8 }), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        return canonicalJson(reversed) === carefulCanonicalJson(value);
      }),
      { numRuns: 1_000 },
    );
  });

  it("writes values as JSON that parses back to them", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1_000 },
    );
  });

  it("quotes strings as JSON.stringify does", () => {
    fc.assert(
      fc.property(anyString, (s) => jsonString(s) === JSON.stringify(s)),
      { numRuns: 5_000 },
    );
  });

  it("refuses what the careful path refuses, with its message", () => {
    for (const value of [{ a: undefined }, [1, , 2], { n: NaN }, { d: new Date(0) }, { f: () => 1 }, { b: 1n }]) {
      expect(() => canonicalJson(value)).toThrow(/canonicalJson: \$/);
    }
  });
});

const nullable = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: null });
const record: fc.Arbitrary<Omit<AuditEventRecord, "hash" | "prevHash">> = fc.record({
  seq: fc.oneof(fc.nat(), fc.maxSafeNat()),
  occurredAt: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    anyString,
  ),
  actorId: nullable(fc.oneof(fc.uuid(), anyString)),
  actorEmail: nullable(fc.oneof(fc.emailAddress(), anyString)),
  action: fc.oneof(fc.constantFrom("change.vote_cast", "change.submitted", "user.created"), anyString),
  entityType: anyString,
  entityId: nullable(anyString),
  changeId: nullable(fc.uuid()),
  before: fc.oneof(fc.constant(null), fc.constant(undefined), json),
  after: fc.oneof(fc.constant(null), fc.constant(undefined), json),
  reason: nullable(anyString),
  clientAddress: nullable(fc.oneof(fc.ipV4(), fc.ipV6(), anyString)),
});

describe("hashedContentJson", () => {
  it("is canonicalJson(hashedContent(event)) for any event", () => {
    fc.assert(
      fc.property(record, (event) => hashedContentJson(event) === carefulCanonicalJson(hashedContent(event))),
      { numRuns: 3_000 },
    );
  });

  it("gives the same text or the same refusal for a tampered event with fields of the wrong type", () => {
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(NaN), json);
    const tampered = fc
      .tuple(record, fc.constantFrom("seq", "occurredAt", "actorId", "action", "reason", "clientAddress"), wrong)
      .map(([event, field, value]) => ({ ...event, [field]: value }) as Omit<AuditEventRecord, "hash" | "prevHash">);
    fc.assert(
      fc.property(tampered, (event) => {
        const attempt = (fn: () => string) => {
          try {
            return fn();
          } catch (error) {
            return `threw ${(error as Error).message}`;
          }
        };
        return attempt(() => hashedContentJson(event)) === attempt(() => carefulCanonicalJson(hashedContent(event)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("lists the hashed fields in canonical order, so nothing needs sorting", () => {
    const keys = Object.keys(
      hashedContent({
        seq: 1,
        occurredAt: "",
        actorId: null,
        actorEmail: null,
        action: "",
        entityType: "",
        entityId: null,
        changeId: null,
        before: null,
        after: null,
        reason: null,
        clientAddress: null,
      }),
    );
    expect(keys).toEqual([...keys].sort());
  });
});
