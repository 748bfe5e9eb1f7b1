import { PlannedPage } from "@/components/shell/planned-page";
import { requirePage } from "@/lib/server/auth/current-actor";

export default async function Page() {
  await requirePage("/audit");
  return <PlannedPage href="/audit" />;
}
