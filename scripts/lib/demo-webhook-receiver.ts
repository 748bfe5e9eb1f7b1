// `npm start` in demo mode turns on the portal's own webhook receiver (lib/server/webhooks/
// demo-receiver.ts) and lets the worker post to this machine's loopback address, which the SSRF
// checks refuse otherwise. Never in production mode, and DEMO_WEBHOOK_RECEIVER=off turns it off.
import { isProductionMode } from "./app-connection-safety";

export type DemoWebhookReceiver = {
  /** The portal's address as the worker reaches it; the demo seed points a subscription there. */
  base: string;
  /** Added to the application's environment (server and worker). */
  env: Record<string, string>;
};

export function demoWebhookReceiver(port: number, source: NodeJS.ProcessEnv = process.env): DemoWebhookReceiver | null {
  if (isProductionMode(source) || source.DEMO_WEBHOOK_RECEIVER === "off") return null;
  const allowed = [source.WEBHOOK_ALLOWED_PRIVATE_RANGES?.trim(), "127.0.0.1/32"].filter(Boolean).join(",");
  return { base: `http://127.0.0.1:${port}`, env: { DEMO_WEBHOOK_RECEIVER: "on", WEBHOOK_ALLOWED_PRIVATE_RANGES: allowed } };
}
