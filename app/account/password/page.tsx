import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutEverywhereForm } from "@/components/auth/sign-out-everywhere-form";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { requireActor } from "@/lib/server/auth/current-actor";
import { changePasswordAction, signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const actor = await requireActor({ allowPasswordChange: true });
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md space-y-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold">Choose a new password</h1>
          <p className="mt-2 text-sm text-slate-600">
            {actor.mustChangePassword
              ? `${actor.name}, your account has a temporary password. Choose your own before you continue.`
              : `Signed in as ${actor.email}.`}
          </p>
        </div>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <ChangePasswordForm action={changePasswordAction} />
        </div>
        {actor.mustChangePassword ? null : (
          <section aria-labelledby="sessions-heading" className="space-y-3 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h2 id="sessions-heading" className="text-base font-semibold">
              Sessions
            </h2>
            <p className="text-sm text-slate-600">
              <Link href="/account/sessions" className="font-medium text-indigo-700 hover:underline">
                Your sessions
              </Link>
              : where you are signed in, and signing out one session or all others.
            </p>
            <SignOutEverywhereForm action={signOutEverywhereAction} />
          </section>
        )}
        <div className="flex items-center justify-center gap-4 text-sm">
          {actor.mustChangePassword ? null : (
            <Link href="/account/security" className="text-indigo-700 hover:underline">
              Two-step sign-in
            </Link>
          )}
          {actor.mustChangePassword ? null : (
            <Link href="/" className="text-indigo-700 hover:underline">
              Back to the portal
            </Link>
          )}
          <div className="rounded-md bg-slate-900 p-1">
            <SignOutButton />
          </div>
        </div>
      </div>
    </main>
  );
}
