import Link from "next/link";
import { buttonStyles } from "@/components/ui/button-styles";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-rose-600">403</p>
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="text-slate-600">
        Your roles do not include this page. If you need it for your work, ask an admin to grant you the role.
      </p>
      <Link href="/" className={buttonStyles.secondary}>
        Back to your home page
      </Link>
    </main>
  );
}
