import Link from "next/link";
import { buttonStyles } from "@/components/ui/button-styles";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page or record you asked for does not exist, or its address was mistyped.</p>
      <Link href="/" className={buttonStyles.secondary}>
        Back to your home page
      </Link>
    </main>
  );
}
