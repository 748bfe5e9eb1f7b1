import { config } from "zod/v4/core";

// Runs in the browser before any page module. Pages forbid eval (CSP): zod must not probe for it
// or compile its parsers with Function(), which the browser would report as a violation.
config({ jitless: true });
