import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Change control", template: "%s · Change control" },
  description: "Request, assess, approve, schedule, implement and review changes to production systems.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
