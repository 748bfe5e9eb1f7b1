import { expect, test } from "./support/test";

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString("latin1"), "a PNG signature").toBe("PNG");
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test("the icons and web manifest load without a session, and the sign-in page links them", async ({ page, request }) => {
  // The request fixture carries no session cookie: these are what a browser fetches before signing in.
  const manifestResponse = await request.get("/manifest.webmanifest", { maxRedirects: 0 });
  expect(manifestResponse.status()).toBe(200);
  const manifest = await manifestResponse.json();
  expect(manifest).toMatchObject({ name: "Change control", short_name: "Changes", display: "standalone", theme_color: "#4338ca" });
  const icons = [...manifest.icons, { src: "/apple-touch-icon.png", sizes: "180x180", type: "image/png" }];
  for (const icon of icons as { src: string; sizes: string; type: string }[]) {
    const response = await request.get(icon.src, { maxRedirects: 0 });
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()["content-type"], icon.src).toContain(icon.type);
    const body = await response.body();
    if (icon.type === "image/png") expect(pngSize(body), icon.src).toBe(icon.sizes);
    else expect(body.toString("utf8"), icon.src).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  }

  await page.goto("/signin");
  const head = page.locator("head");
  await expect(head.locator('link[rel="icon"][href="/icon.svg"]')).toHaveAttribute("type", "image/svg+xml");
  await expect(head.locator('link[rel="icon"][href="/icon-192.png"]')).toHaveAttribute("sizes", "192x192");
  await expect(head.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
  await expect(head.locator('meta[name="theme-color"]')).toHaveAttribute("content", "#4338ca");
  await expect(head.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  // Chromium itself fetches and parses the linked manifest under the page's CSP (a block would show as errors).
  const cdp = await page.context().newCDPSession(page);
  const { url, errors, data } = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[]; data?: string };
  expect(new URL(url).pathname).toBe("/manifest.webmanifest");
  expect(errors).toEqual([]);
  expect(JSON.parse(data ?? "null")).toEqual(manifest);
  // The SVG icon draws in the page as an image under the page's img-src.
  const drawn = await page.evaluate(async () => {
    const img = new Image();
    img.src = "/icon.svg";
    await img.decode();
    return img.naturalWidth > 0;
  });
  expect(drawn).toBe(true);
});
