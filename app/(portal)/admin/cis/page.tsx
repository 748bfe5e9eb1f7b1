import { PlannedPage } from "@/components/shell/planned-page";
import { requirePage } from "@/lib/server/auth/current-actor";

export default async function Page() {
  await requirePage("/admin/cis");
  return <PlannedPage href="/admin/cis" />;
}
