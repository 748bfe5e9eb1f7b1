// `npx tsx scripts/assets/render-icons.ts`: renders public/icon.svg into the PNG icons beside it, in
// the Chromium the browser tests use; run it after changing the SVG and commit the PNGs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { chromiumPath } from "../lib/chromium";

const PUBLIC = path.resolve("public");
const svg = readFileSync(path.join(PUBLIC, "icon.svg"), "utf8");
// Home-screen icons keep the SVG's rounded corners; iOS rounds its own, so its icon fills the square.
const ICONS = [
  { file: "icon-192.png", size: 192, fullBleed: false },
  { file: "icon-512.png", size: 512, fullBleed: false },
  { file: "apple-touch-icon.png", size: 180, fullBleed: true },
];

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const source = icon.fullBleed ? svg.replace(/ rx="\d+"/, "") : svg;
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${source.replace("<svg ", `<svg width="${icon.size}" height="${icon.size}" `)}</body></html>`,
    );
    await page.screenshot({ path: path.join(PUBLIC, icon.file), omitBackground: true });
    await page.close();
    console.log(`public/${icon.file}`);
  }
} finally {
  await browser.close();
}
