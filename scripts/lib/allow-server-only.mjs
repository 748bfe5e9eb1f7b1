// Lets a trusted script (the demo seed) load lib/server modules outside Next.js: the
// 'server-only' guard would otherwise throw, as it should in a browser bundle.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return next(specifier, context);
}`),
);
