import type { Metadata } from "next";
import { MailPreferencesForm } from "@/components/deliveries/mail-preferences-form";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireActor } from "@/lib/server/auth/current-actor";
import { readMailPreferences } from "@/lib/server/deliveries/mail-preferences";
import { saveMailPreferencesAction } from "./actions";

export const metadata: Metadata = { title: "Mail" };

export default async function MailPreferencesPage() {
  const actor = await requireActor();
  const preferences = await readMailPreferences(actor.id);
  return (
    <>
      <PageHeader
        title="Mail"
        description={`What the portal mails you at ${actor.email}. Every notification stays on the Notifications page whatever you choose here.`}
      />
      <Section title="Mails you receive">
        <div className="max-w-2xl">
          <MailPreferencesForm action={saveMailPreferencesAction} preferences={preferences} />
        </div>
      </Section>
    </>
  );
}
