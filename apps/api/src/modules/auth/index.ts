export { betterAuthRoutes, devMailboxRoutes, tokenExchangeRoutes } from "./auth.routes.js";
export { type Auth, createAuth } from "./better-auth.js";
export { createCookiePrincipal } from "./cookie-principal.js";
export { createSessionRepo } from "./sessions.repo.js";
export { createTokenExchangeService, type TokenExchangeService } from "./token-exchange.service.js";
