import type { Metadata } from "next";
import Link from "next/link";
import { EndSessionForm } from "@/components/sessions/end-session-form";
import { SessionTable } from "@/components/sessions/session-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireActor } from "@/lib/server/auth/current-actor";
import { listOwnSessions } from "@/lib/server/users/user-sessions";
import { endOtherSessionsAction, endOwnSessionAction } from "./actions";

export const metadata: Metadata = { title: "Your sessions" };

export default async function SessionsPage() {
  const actor = await requireActor();
  const sessions = await listOwnSessions(actor);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <PageHeader
        title="Your sessions"
        description="Where you are signed in now. Sign out a session you do not recognise, then change your password."
      />
      <div className="space-y-6">
        <SessionTable sessions={sessions} end={endOwnSessionAction} label="Your sessions" whose="your" />
        <Section title="Other sessions">
          <div className="max-w-2xl space-y-3 text-sm text-slate-700">
            <p>
              {others === 0
                ? "You are signed in nowhere else."
                : `You are signed in in ${others === 1 ? "1 other session" : `${others} other sessions`}.`}{" "}
              To end this session too, use Sign out; to end every session and change nothing else, use{" "}
              <Link href="/account/password" className="font-medium text-indigo-700 underline">
                Sign out everywhere
              </Link>
              .
            </p>
            {others === 0 ? null : (
              <EndSessionForm
                action={endOtherSessionsAction}
                fields={{}}
                label="Sign out all other sessions"
                title="Sign out all other sessions?"
                body="Every session of yours but this one is signed out at its next request."
                confirmLabel="Sign them out"
              />
            )}
          </div>
        </Section>
      </div>
    </>
  );
}
