import { describe, expect, it } from "vitest";
import { decodeActionResult } from "../support/action-client";

// Payloads as Next.js 16 sends them for a server action's return value.
describe("decodeActionResult", () => {
  it("reads a form state from the root row's reference", () => {
    const payload =
      '0:{"a":"$@1","q":"","i":false,"b":"build"}\n1:{"ok":false,"message":"Refused.","fieldErrors":"$undefined","values":{"comment":"$$ok"}}\n';
    expect(decodeActionResult(payload)).toEqual({ ok: false, message: "Refused.", fieldErrors: undefined, values: { comment: "$ok" } });
  });

  it("reads long text rows by their UTF-8 length", () => {
    const text = "ünïcode, with a newline\nand more";
    const payload = `0:{"a":"$@1","b":"build"}\n1:{"message":"$2"}\n2:T${Buffer.byteLength(text).toString(16)},${text}`;
    expect(decodeActionResult(payload)).toEqual({ message: text });
  });

  it("gives undefined for an error row or a payload without a result", () => {
    expect(decodeActionResult('0:{"a":"$@1","b":"build"}\n1:E{"digest":"1"}\n')).toBeUndefined();
    expect(decodeActionResult("")).toBeUndefined();
  });
});
