import { PlannedPage } from "@/components/shell/planned-page";
import { requirePage } from "@/lib/server/auth/current-actor";

export default async function Page() {
  await requirePage("/metrics");
  return <PlannedPage href="/metrics" />;
}
