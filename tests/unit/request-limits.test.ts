import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_QUERY_BYTES, refuseOversizedRequest } from "@/lib/server/http/request-limits";

const request = (query: string, headers: Record<string, string> = {}) => new Request(`http://portal.test/changes${query}`, { headers });

describe("request size limits", () => {
  it("lets an ordinary request through", () => {
    expect(refuseOversizedRequest(request("?q=rotate&type=normal"))).toBeNull();
    expect(refuseOversizedRequest(request("", { "content-length": String(MAX_BODY_BYTES) }))).toBeNull();
  });

  it("refuses a query string longer than any filter with 431 and a message", async () => {
    const refused = refuseOversizedRequest(request(`?q=${"x".repeat(MAX_QUERY_BYTES)}`));
    expect(refused?.status).toBe(431);
    expect(await refused?.text()).toMatch(/^This address is too long .* Shorten the search text/);
  });

  it("refuses a declared body over the limit, or a length that is not a number, with 413", async () => {
    for (const length of [String(MAX_BODY_BYTES + 1), "1e9", "-1", "99999999999999999999"]) {
      const refused = refuseOversizedRequest(request("", { "content-length": length }));
      expect(refused?.status, length).toBe(413);
      expect(await refused?.text()).toMatch(/^This request is too large/);
    }
  });
});
