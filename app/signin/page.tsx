import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { DemoAccounts } from "@/components/auth/demo-accounts";
import { SsoButton } from "@/components/auth/sso-button";
import { FormMessage } from "@/components/ui/form-message";
import { signInErrorMessage } from "@/lib/domain/sso-messages";
import { sessionEndedMessage } from "@/lib/domain/user-sessions";
import { passwordSignInPolicy, usableSsoConfig } from "@/lib/server/auth/sso-config";
import { sameOriginPath } from "@/lib/domain/same-origin-path";
import { hasLiveSession } from "@/lib/server/auth/current-actor";
import { env } from "@/lib/server/env";
import { isDemoDataLoaded } from "@/lib/server/settings/demo-data";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[]; ended?: string | string[] }>;
}) {
  const { callbackUrl: asked, error, ended } = await searchParams;
  // Both parameters are the visitor's to write: one value each, and the error only as a known code's message.
  const callbackUrl = typeof asked === "string" ? asked : undefined;
  const errorMessage =
    signInErrorMessage(typeof error === "string" ? error : error ? "unknown" : undefined) ??
    sessionEndedMessage(typeof ended === "string" ? ended : ended ? "unknown" : undefined);
  const sso = usableSsoConfig();
  const passwords = passwordSignInPolicy();
  // Only paths on the portal itself: an open redirect after sign-in would be a phishing aid.
  const target = sameOriginPath(callbackUrl, env().NEXTAUTH_URL);
  // Already signed in: straight to the target (never back to sign-in itself, which would loop).
  if (await hasLiveSession()) redirect(/^\/signin(?:[/?#]|$)/.test(target) ? "/" : target);
  const demo = await isDemoDataLoaded();
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md space-y-6">
        <div className="text-center">
          <p className="text-sm font-semibold uppercase tracking-wider text-indigo-600">Change control</p>
          <h1 className="mt-2 text-2xl font-semibold">Sign in to the portal</h1>
        </div>
        <div className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <FormMessage ok={false} message={errorMessage} />
          {sso ? (
            <>
              <SsoButton providerName={sso.displayName} callbackUrl={target} />
              <p className="flex items-center gap-3 text-xs uppercase tracking-wider text-slate-500" aria-hidden="true">
                <span className="h-px flex-1 bg-slate-200" />
                {passwords.enabled ? "or with a password" : "break-glass admins only"}
                <span className="h-px flex-1 bg-slate-200" />
              </p>
            </>
          ) : null}
          <SignInForm callbackUrl={target} />
        </div>
        {demo ? <DemoAccounts /> : null}
      </div>
    </main>
  );
}
