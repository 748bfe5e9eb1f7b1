import type { Metadata } from "next";
import Link from "next/link";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { holdsApprovingRole } from "@/lib/domain/step-up";
import { requireActor } from "@/lib/server/auth/current-actor";
import { loadSecondFactorPolicy } from "@/lib/server/auth/second-factor-policy";
import { secondFactorStatus } from "@/lib/server/auth/totp-enrolment";
import { confirmTotpAction, disableTotpAction, regenerateRecoveryCodesAction, startTotpAction } from "./actions";

export const metadata: Metadata = { title: "Two-step sign-in" };

const day = (date: Date) => date.toISOString().slice(0, 10);

export default async function AccountSecurityPage() {
  const actor = await requireActor();
  const [status, policy] = await Promise.all([secondFactorStatus(actor), loadSecondFactorPolicy()]);
  const required = policy === "required" && holdsApprovingRole(actor.roles);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-lg space-y-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold">Two-step sign-in</h1>
          <p className="mt-2 text-sm text-slate-600">
            Signed in as {actor.email}. An authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …) gives a code that
            changes every 30 seconds; sign-in and approvals ask for it.
          </p>
          {required && status.state !== "enrolled" ? (
            <p
              className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
              data-testid="second-factor-required"
            >
              Your roles approve changes: your organisation requires a second factor before you vote, sign off, waive or approve.
            </p>
          ) : null}
        </div>
        <section aria-labelledby="totp-heading" className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 id="totp-heading" className="text-base font-semibold">
            Authenticator app
          </h2>
          {status.state === "none" ? (
            <>
              <p className="text-sm text-slate-700">Not set up.</p>
              <SecondFactorForm action={startTotpAction} submitLabel="Set up an authenticator app" />
            </>
          ) : status.state === "pending" ? (
            <>
              <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
                <li>Scan this QR code with your authenticator app, or type the key below into it.</li>
                <li>Enter the 6-digit code the app shows to finish.</li>
              </ol>
              {/* A data: URL, which the page's img-src allows; the secret never leaves this page. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={status.qrDataUrl}
                alt="QR code to add the portal to your authenticator app"
                width={220}
                height={220}
                className="mx-auto"
              />
              <p className="text-sm">
                Key:{" "}
                <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono" data-testid="totp-secret">
                  {status.secret}
                </code>
              </p>
              <SecondFactorForm action={confirmTotpAction} codeLabel="Code from the app" submitLabel="Confirm and turn on" />
            </>
          ) : (
            <>
              <p className="text-sm text-slate-700" data-testid="totp-enrolled">
                On since {day(status.since)}. {status.recoveryCodesLeft} of 10 recovery codes left.
              </p>
              <div className="space-y-2 border-t border-slate-100 pt-4">
                <h3 className="text-sm font-semibold">New recovery codes</h3>
                <SecondFactorForm
                  action={regenerateRecoveryCodesAction}
                  codeLabel="Current code (for new recovery codes)"
                  submitLabel="Make new recovery codes"
                  variant="secondary"
                />
              </div>
              <div className="space-y-2 border-t border-slate-100 pt-4">
                <h3 className="text-sm font-semibold">Turn off</h3>
                <SecondFactorForm
                  action={disableTotpAction}
                  codeLabel="Current code (to turn off)"
                  submitLabel="Turn off the authenticator app"
                  variant="danger"
                />
              </div>
            </>
          )}
        </section>
        <div className="flex items-center justify-center gap-4 text-sm">
          <Link href="/account/password" className="text-indigo-700 hover:underline">
            Password and sessions
          </Link>
          <Link href="/" className="text-indigo-700 hover:underline">
            Back to the portal
          </Link>
        </div>
      </div>
    </main>
  );
}
