import type { Principal, RoutePrincipal, Scope } from "@agenthifive/contracts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (API.md §2.5). Required on every route: the router is default-deny. */
    principal?: RoutePrincipal;
    /** Scope(s) the principal must hold; all of them. */
    scope?: Scope | Scope[];
    /** With a PAT, require this scope instead of `scope` (e.g. agents:bootstrap). */
    patScope?: Scope;
    /** On a human+agent route, the scope an agent needs instead of `scope`. */
    agentScope?: Scope;
    /** ⚑ routes: the JWT's session is checked live. */
    sensitive?: boolean;
    /** Without an Authorization header, the browser's session cookie may authenticate (SSE). */
    cookieAuth?: boolean;
    /**
     * The LLM proxy only (API.md §3.10): the agent token may also come as `x-api-key` or
     * `x-goog-api-key`, where provider SDKs put their key.
     */
    apiKeyHeaders?: boolean;
    /** Only a session-derived JWT may call it (never a PAT). */
    jwtOnly?: boolean;
    /** `false`: no CORS headers (@fastify/cors reads it); set on every route agents call. */
    cors?: false;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
