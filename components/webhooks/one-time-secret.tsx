import { OneTimeValue } from "@/components/ui/one-time-value";

/** A new signing secret, shown this once after it is made. */
export function OneTimeSecret({ secret, message }: { secret: string; message?: string }) {
  return (
    <OneTimeValue
      value={secret}
      label="Signing secret"
      testId="webhook-secret"
      what="signing secret"
      message={message}
      hint={
        <>
          Receivers verify each request with it (Standard Webhooks: <code>new Webhook(secret).verify(body, headers)</code>).
        </>
      }
    />
  );
}
