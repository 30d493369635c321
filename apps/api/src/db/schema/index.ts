export * from "./agents.js";
export * from "./audit.js";
export * from "./auth.js";
export * from "./signing-keys.js";
export * from "./tenancy.js";
