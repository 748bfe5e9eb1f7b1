// The demo identity provider alone: `tsx scripts/ops/demo-idp.ts <port> <portal URL>...` (the browser tests run it so).
import { startDemoIdp } from "../lib/demo-idp";

const [port, ...portals] = process.argv.slice(2);
if (!port || portals.length === 0) throw new Error("usage: demo-idp.ts <port> <portal URL>...");
const { idp } = await startDemoIdp(portals, Number(port));
console.log(`[idp] Demo identity provider on ${idp.issuer}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void idp.close().then(() => process.exit(0)));
