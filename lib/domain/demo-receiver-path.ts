/** Where the demo's webhook subscription posts (lib/server/webhooks/demo-receiver.ts); the proxy lets it through without a session or Origin. */
export const DEMO_RECEIVER_PATH = "/api/demo-webhook-receiver";

/** The receiver's URL for one subscription of a portal served at `base`. */
export function demoReceiverUrl(base: string, subscriptionId: string): string {
  return `${base.replace(/\/+$/, "")}${DEMO_RECEIVER_PATH}/${subscriptionId}`;
}
