import "server-only";
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

// Scalar's standalone bundle, served from our own origin straight out of the installed package:
// no CDN, no copy to keep in step, and its version in the address lets browsers keep it a year.

const PACKAGE = path.join(process.cwd(), "node_modules", "@scalar", "api-reference");
const BUNDLE = path.join(PACKAGE, "dist", "browser", "standalone.js");

let version: string | undefined;

/** The installed @scalar/api-reference version, which names the bundle's address. */
export function scalarVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(PACKAGE, "package.json"), "utf8")) as { version: string }).version;
  return version;
}

export const scalarBundlePath = () => `/api/docs/scalar.js?v=${encodeURIComponent(scalarVersion())}`;

/** The bundle; immutable for a year when asked for by this version's address, else briefly cached. */
export function scalarBundleResponse(request: Request): Response {
  const current = new URL(request.url).searchParams.get("v") === scalarVersion();
  return new Response(Readable.toWeb(createReadStream(BUNDLE)) as ReadableStream, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
