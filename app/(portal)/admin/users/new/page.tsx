import type { Metadata } from "next";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { createUserAction } from "../actions";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requirePage("/admin/users");
  return (
    <>
      <PageHeader
        title="New user"
        description="The person signs in with the temporary password and must choose their own before anything else."
      />
      <CreateUserForm action={createUserAction} />
    </>
  );
}
