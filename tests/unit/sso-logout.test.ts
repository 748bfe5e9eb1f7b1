import { describe, expect, it } from "vitest";
import { endSessionUrl, postLogoutRedirectUri } from "@/lib/domain/sso-logout";

const params = { idTokenHint: "h.e.s", postLogoutRedirectUri: postLogoutRedirectUri("https://changes.example.org/"), clientId: "portal" };

describe("the identity provider's end-session address (RP-initiated logout)", () => {
  it("adds the hint, the way back to the sign-in page and the client to the discovered endpoint", () => {
    const url = new URL(endSessionUrl("https://idp.example/oidc/logout?tenant=a", params)!);
    expect(url.origin + url.pathname).toBe("https://idp.example/oidc/logout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: "a",
      id_token_hint: "h.e.s",
      post_logout_redirect_uri: "https://changes.example.org/signin",
      client_id: "portal",
    });
  });

  it("goes without the hint when none was kept (the IdP then asks the user)", () => {
    expect(
      new URL(endSessionUrl("https://idp.example/logout", { ...params, idTokenHint: undefined })!).searchParams.has("id_token_hint"),
    ).toBe(false);
  });

  it("follows no endpoint that is missing, malformed or not http(s)", () => {
    for (const endpoint of [undefined, null, 42, "", "not a url", "javascript:alert(1)", "data:text/html,x"])
      expect(endSessionUrl(endpoint, params), String(endpoint)).toBeNull();
  });
});
