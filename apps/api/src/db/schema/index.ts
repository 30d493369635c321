export * from "./agents.js";
export * from "./audit.js";
export * from "./auth.js";
export * from "./connections.js";
export * from "./policies.js";
export * from "./signing-keys.js";
export * from "./tenancy.js";
