"use client";

import { useSyncExternalStore } from "react";
import { signOut } from "next-auth/react";

const noSubscription = () => () => {};

export function SignOutButton() {
  // Signing out needs JavaScript (next-auth's CSRF-protected POST): until the page is hydrated a
  // click would do nothing, so the button stays disabled until then.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <button
      type="button"
      disabled={!ready}
      onClick={() => signOut({ callbackUrl: "/signin" })}
      className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 ring-1 ring-inset ring-slate-600 hover:bg-slate-800 disabled:opacity-60"
    >
      Sign out
    </button>
  );
}
