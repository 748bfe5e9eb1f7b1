import type { Metadata } from "next";
import Link from "next/link";
import { CiForm } from "@/components/cis/ci-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { createCiAction } from "../actions";

export const metadata: Metadata = { title: "New configuration item" };

export default async function NewCiPage() {
  await requirePage("/admin/cis");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/cis" className="text-indigo-700 hover:underline">
          ← All configuration items
        </Link>
      </p>
      <PageHeader title="New configuration item" description="Dependencies are set on the item's page once it exists." />
      <div className="max-w-2xl rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <CiForm action={createCiAction} />
      </div>
    </>
  );
}
