import { describe, expect, it } from "vitest";
import { demoReceiverUrl } from "../../lib/domain/demo-receiver-path";
import { appEnv } from "../../scripts/lib/app-env";
import { demoWebhookReceiver } from "../../scripts/lib/demo-webhook-receiver";

const envOf = (variables: Record<string, string>) => variables as NodeJS.ProcessEnv;

describe("the demo's webhook receiver at npm start", () => {
  it("is on in demo mode, with loopback added to the webhook allow-list", () => {
    expect(demoWebhookReceiver(3000, envOf({}))).toEqual({
      base: "http://127.0.0.1:3000",
      env: { DEMO_WEBHOOK_RECEIVER: "on", WEBHOOK_ALLOWED_PRIVATE_RANGES: "127.0.0.1/32" },
    });
    expect(demoWebhookReceiver(4000, envOf({ WEBHOOK_ALLOWED_PRIVATE_RANGES: " 10.0.0.0/8 " }))?.env.WEBHOOK_ALLOWED_PRIVATE_RANGES).toBe(
      "10.0.0.0/8,127.0.0.1/32",
    );
  });

  it("is never on in production mode, nor when turned off", () => {
    expect(demoWebhookReceiver(3000, envOf({ PORTAL_MODE: "production" }))).toBeNull();
    expect(demoWebhookReceiver(3000, envOf({ NODE_ENV: "production" }))).toBeNull();
    expect(demoWebhookReceiver(3000, envOf({ DEMO_WEBHOOK_RECEIVER: "off" }))).toBeNull();
  });

  it("cannot be turned on from the operator's environment: only npm start's demo mode sets it", () => {
    const env = appEnv("postgresql://app:pw@db/portal", 3000, envOf({ DEMO_WEBHOOK_RECEIVER: "on", PORTAL_MODE: "production" }));
    expect(env.DEMO_WEBHOOK_RECEIVER).toBeUndefined();
  });

  it("is addressed per subscription", () => {
    expect(demoReceiverUrl("http://127.0.0.1:3000/", "abc")).toBe("http://127.0.0.1:3000/api/demo-webhook-receiver/abc");
  });
});
