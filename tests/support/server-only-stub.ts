// Intentionally empty: stands in for 'server-only' when Vitest runs server code.
export {};
