// Shared class names, so links styled as buttons match real buttons.
const base =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed disabled:opacity-60";

export const buttonStyles = {
  primary: `${base} bg-indigo-600 text-white hover:bg-indigo-500`,
  secondary: `${base} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`,
  danger: `${base} bg-rose-600 text-white hover:bg-rose-500`,
} as const;

export type ButtonVariant = keyof typeof buttonStyles;
