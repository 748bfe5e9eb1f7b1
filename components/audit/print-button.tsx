"use client";

import { buttonStyles } from "@/components/ui/button-styles";

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className={`${buttonStyles.secondary} print:hidden`}>
      Print
    </button>
  );
}
