"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { usePathname } from "next/navigation";

type Menu = { open: boolean; toggle: () => void; close: () => void; buttonRef: React.RefObject<HTMLButtonElement | null> };

const MenuContext = createContext<Menu | null>(null);
const noSubscription = () => () => {};

function useMenu(): Menu {
  const menu = useContext(MenuContext);
  if (!menu) throw new Error("The menu's parts must be inside <NavMenu>.");
  return menu;
}

/**
 * The navigation's open/closed state on screens narrower than the sidebar. It is open only on the
 * page where it was opened, so following one of its links closes it.
 */
export function NavMenu({ children }: { children: React.ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const open = openOn === pathname;
  const close = useCallback(() => setOpenOn(null), []);
  const toggle = useCallback(() => setOpenOn((on) => (on === pathname ? null : pathname)), [pathname]);
  // Escape closes the open menu wherever focus is (the button or a link in it) and returns to the button.
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      close();
      buttonRef.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open, close]);
  const menu = useMemo(() => ({ open, toggle, close, buttonRef }), [open, toggle, close]);
  return <MenuContext.Provider value={menu}>{children}</MenuContext.Provider>;
}

/** The phone and tablet menu button; from the lg breakpoint the sidebar shows and the button hides. */
export function NavMenuButton({ controls }: { controls: string }) {
  const { open, toggle, buttonRef } = useMenu();
  // Without JavaScript the button could not open anything; Home lists every page meanwhile.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <button
      ref={buttonRef}
      type="button"
      disabled={!ready}
      aria-expanded={open}
      aria-controls={controls}
      onClick={toggle}
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-100 ring-1 ring-inset ring-slate-600 hover:bg-slate-800 disabled:opacity-60 lg:hidden"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
        {open ? (
          <path d="M4.3 4.3a1 1 0 0 1 1.4 0L10 8.6l4.3-4.3a1 1 0 1 1 1.4 1.4L11.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4L10 11.4l-4.3 4.3a1 1 0 0 1-1.4-1.4L8.6 10 4.3 5.7a1 1 0 0 1 0-1.4Z" />
        ) : (
          <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
        )}
      </svg>
      Menu
    </button>
  );
}

/** The navigation's box: shown below lg only while the menu is open. */
export function NavMenuPanel({ id, children }: { id: string; children: React.ReactNode }) {
  const { open } = useMenu();
  return (
    <div
      id={id}
      className={`${open ? "mb-6 block border-b border-slate-200 pb-4" : "hidden"} lg:mb-0 lg:block lg:w-56 lg:shrink-0 lg:border-0 lg:pb-0`}
    >
      {children}
    </div>
  );
}
