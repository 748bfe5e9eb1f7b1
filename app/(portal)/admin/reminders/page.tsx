import type { Metadata } from "next";
import { ReminderSettingsForm } from "@/components/reminders/reminder-settings-form";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { nextCabCutOff } from "@/lib/domain/cab-cut-off";
import { formatUtc } from "@/lib/domain/utc-time";
import { requirePage } from "@/lib/server/auth/current-actor";
import { loadReminderSettings } from "@/lib/server/reminders/reminder-settings";
import { saveReminderSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Reminders" };

export default async function RemindersPage() {
  await requirePage("/admin/reminders");
  const settings = await loadReminderSettings();
  const next = nextCabCutOff(new Date(), settings);
  return (
    <>
      <PageHeader
        title="Reminders"
        description="A vote or sign-off (a pre-implementation one too, once the change is approved) awaited too long is reminded, then escalated to the change managers. Normal and major changes count business hours only; emergencies count every minute on the clock, nights and weekends included. Nothing is ever approved by timeout."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Section title="Settings">
          <ReminderSettingsForm action={saveReminderSettingsAction} settings={settings} />
        </Section>
        <Section title="Now">
          <dl className="space-y-3 text-sm">
            {[
              ["Time zone", settings.timeZone],
              ["Next CAB cut-off", next ? formatUtc(next) : "none scheduled"],
              ["Digest", next ? `${settings.digestLeadHours} hours before it, to CAB members and change managers` : "—"],
              ["Sweep", "every minute, in the worker"],
            ].map(([label, value]) => (
              <div key={label}>
                <dt className="font-medium text-slate-600">{label}</dt>
                <dd className="text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Section>
      </div>
    </>
  );
}
