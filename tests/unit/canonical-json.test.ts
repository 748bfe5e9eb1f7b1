import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/domain/canonical-json";

describe("canonicalJson", () => {
  it.each([
    ["sorts keys", { b: 1, a: 2 }, `{"a":2,"b":1}`],
    [
      "sorts nested keys, keeps array order",
      { z: [{ y: 1, x: 2 }, 3], a: { d: null, c: true } },
      `{"a":{"c":true,"d":null},"z":[{"x":2,"y":1},3]}`,
    ],
    ["sorts by UTF-16 code units, not locale", { é: 1, e: 2, E: 3, "10": 4, "9": 5 }, `{"10":4,"9":5,"E":3,"e":2,"é":1}`],
    ["orders astral characters by their surrogates (RFC 8785)", { "\u{1F600}": 1, "\uFFFF": 2 }, `{"😀":1,"\uFFFF":2}`],
    ["writes no whitespace", { a: [1, 2, { b: "c d" }] }, `{"a":[1,2,{"b":"c d"}]}`],
    [
      "escapes strings as JSON.stringify does",
      { s: 'quote " backslash \\ newline \n tab \t nul \u0000' },
      `{"s":"quote \\" backslash \\\\ newline \\n tab \\t nul \\u0000"}`,
    ],
    ["keeps unicode as is", { name: "Zoë 東京 🚀" }, `{"name":"Zoë 東京 🚀"}`],
    [
      "serializes numbers as JSON.stringify does",
      [0, -0, 1.5, 1e21, 1e-7, 100, 0.1 + 0.2, -3],
      `[0,0,1.5,1e+21,1e-7,100,0.30000000000000004,-3]`,
    ],
    ["keeps empty containers", { a: {}, b: [] }, `{"a":{},"b":[]}`],
    ["takes scalars at the top", "x", `"x"`],
    ["takes null", null, "null"],
    ["takes objects without a prototype", Object.assign(Object.create(null) as object, { b: 1, a: 0 }), `{"a":0,"b":1}`],
  ])("%s", (_label, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("gives the same text whatever order the keys were inserted in", () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it("agrees with JSON.parse: the output is valid JSON of the same value", () => {
    const value = { x: [1, "two", { three: 3 }], y: null, z: false };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it.each([
    ["undefined at the top", undefined, /undefined/],
    ["an undefined property", { a: undefined }, /\$\.a is undefined/],
    ["NaN", { n: NaN }, /NaN/],
    ["Infinity", [Infinity], /Infinity/],
    ["a bigint", { n: 1n }, /bigint/],
    ["a function", { f: () => 1 }, /function/],
    ["a Date", { when: new Date(0) }, /Date; convert it first/],
    ["a Map", new Map(), /Map/],
    ["a hole in an array", [1, , 3], /\$\[1\] is undefined/],
  ])("refuses %s", (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it("refuses a cycle but accepts a shared, non-cyclic object", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe(`{"a":{"k":1},"b":{"k":1}}`);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/refers back to itself/);
  });

  it("orders array-index-like keys as strings, as RFC 8785 asks, though JS objects enumerate them numerically", () => {
    expect(canonicalJson({ a: 3, "9": 2, "10": 1, nested: { "2": true, "1": [{ "0": null }] } })).toBe(
      '{"10":1,"9":2,"a":3,"nested":{"1":[{"0":null}],"2":true}}',
    );
  });

  it("gives the same bytes for structures deeper than the fast path goes", () => {
    let deep: unknown = { z: 1, a: [2] };
    for (let i = 0; i < 100; i++) deep = { b: deep, a: i };
    expect(canonicalJson(deep).startsWith('{"a":99,"b":{"a":98,')).toBe(true);
  });
});
