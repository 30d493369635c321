import {
  isUuid,
  type Principal,
  type RoutePrincipal,
  type Scope,
  type SessionId,
  scopesForRole,
  type UserId,
  type WorkspaceId,
  type WorkspaceRole,
} from "@agenthifive/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { InvalidationBus } from "../db/invalidation.js";
import { AppError } from "../lib/errors.js";
import type { SigningKeyService } from "../modules/keys/index.js";

/** Resolves an opaque bearer credential (PAT, agent token) to a principal; null = unknown. */
export type CredentialResolver = (token: string, request: FastifyRequest) => Promise<Principal | null>;

export interface AuthPluginOptions {
  keys: SigningKeyService;
  invalidation: InvalidationBus;
  /** The live membership check: role in the workspace, or undefined when not a member / disabled. */
  liveRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>;
  /** ⚑ routes: is the session behind a JWT still live? */
  sessionIsLive(sessionId: string): Promise<boolean>;
  /** Opaque token resolvers by prefix (`ah5p`, `ah5t`), added by their modules. */
  resolvers?: Partial<Record<"ah5p" | "ah5t", CredentialResolver>>;
  /** Session-cookie authentication for `cookieAuth` routes (EventSource cannot send headers). */
  cookiePrincipal?: (request: FastifyRequest) => Promise<Principal | null>;
}

/** What every route declared; a test walks it to prove the principal rule (API.md S2). */
export interface DeclaredRoute {
  method: string;
  url: string;
  principal: RoutePrincipal;
  scope: Scope | Scope[] | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    routeTable: DeclaredRoute[];
  }
}

/** Paths outside the declared-principal rule: Better Auth's own router and the docs. */
const UNGUARDED_PREFIXES = ["/api/auth/", "/docs"];

const wrongPrincipal = (route: "human" | "agent") =>
  new AppError(
    "PRINCIPAL_NOT_ALLOWED",
    `This route is not available to ${route === "human" ? "agents" : "people"}.`,
    {
      hint:
        route === "human"
          ? "This is a route for people; agents use the /v1/vault, /v1/agent and /v1/capabilities routes."
          : "This is an agent route; sign in as the agent with its own token.",
    },
  );

/**
 * Authentication and the principal rule (API.md §2.5), declared on each route:
 * `config: { principal, scope, sensitive, jwtOnly }`. A route without `principal` fails the build.
 */
async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions) {
  app.decorateRequest("principal", null);
  const table: DeclaredRoute[] = [];
  app.decorate("routeTable", table);

  app.addHook("onRoute", (route) => {
    if (UNGUARDED_PREFIXES.some((p) => route.url.startsWith(p))) return;
    const config = route.config as { principal?: RoutePrincipal; scope?: Scope | Scope[] } | undefined;
    if (!config?.principal) {
      throw new Error(
        `Route ${route.method} ${route.url} declares no principal: the router is default-deny.`,
      );
    }
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== "HEAD");
    for (const method of methods)
      table.push({ method, url: route.url, principal: config.principal, scope: config.scope });
  });

  async function principalFromJwt(token: string): Promise<Principal> {
    const claims = await opts.keys.verify(token);
    const { sub, wid, sid, jti, exp } = claims as {
      sub?: unknown;
      wid?: unknown;
      sid?: unknown;
      jti?: unknown;
      exp?: unknown;
    };
    if (!isUuid(sub) || !isUuid(wid) || typeof sid !== "string" || typeof jti !== "string") {
      throw new AppError("UNAUTHENTICATED", "The access token is not valid.", {
        details: { reason: "invalid_claims" },
      });
    }
    // Scopes come from the live role, not the token: demotion and removal apply within 5 s.
    const role = await opts.liveRole(wid, sub);
    if (!role) {
      throw new AppError("UNAUTHENTICATED", "You are no longer a member of this workspace.", {
        details: { reason: "not_a_member" },
        hint: "Sign in again and pick a workspace you belong to.",
      });
    }
    return {
      kind: "user",
      userId: sub as UserId,
      workspaceId: wid as WorkspaceId,
      roles: [role],
      scopes: scopesForRole(role),
      credential: "jwt",
      credentialId: jti,
      sessionId: sid as SessionId,
      ...(typeof exp === "number" ? { expiresAt: exp * 1000 } : {}),
    };
  }

  async function authenticate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization ?? apiKeyHeader(request);
    if (header === undefined) return null;
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match?.[1])
      throw new AppError("UNAUTHENTICATED", "The Authorization header must be `Bearer <token>`.");
    const token = match[1];
    const prefix = token.slice(0, 5);
    if (prefix === "ah5p_" || prefix === "ah5t_") {
      const resolver = opts.resolvers?.[prefix === "ah5p_" ? "ah5p" : "ah5t"];
      const principal = resolver ? await resolver(token, request) : null;
      if (!principal) throw new AppError("UNAUTHENTICATED", "The token is not valid.");
      return principal;
    }
    return principalFromJwt(token);
  }

  app.addHook("onRequest", async (request) => {
    const config = request.routeOptions.config;
    const declared = config.principal;
    if (!declared || declared === "public") return;

    const principal =
      request.headers.authorization === undefined && config.cookieAuth && opts.cookiePrincipal
        ? await opts.cookiePrincipal(request)
        : await authenticate(request);
    if (!principal) throw new AppError("UNAUTHENTICATED", "This route needs a credential.");
    request.principal = principal;

    if (declared === "human" && principal.kind !== "user") throw wrongPrincipal("human");
    if (declared === "agent" && principal.kind !== "agent") throw wrongPrincipal("agent");
    if (config.jwtOnly && principal.credential !== "jwt") {
      throw new AppError("PRINCIPAL_NOT_ALLOWED", "This route needs a dashboard session, not a token.", {
        hint: "Sign in to the dashboard to do this.",
      });
    }
    const declaredScope =
      principal.kind === "agent" && config.agentScope
        ? config.agentScope
        : principal.credential === "pat" && config.patScope
          ? config.patScope
          : config.scope;
    const required: Scope[] =
      declaredScope === undefined ? [] : Array.isArray(declaredScope) ? declaredScope : [declaredScope];
    const missing = required.filter((s) => !principal.scopes.includes(s));
    if (missing.length > 0) {
      throw new AppError("SCOPE_MISSING", "Your role or token does not allow this.", {
        details: { required: missing },
      });
    }
    if (config.sensitive && principal.kind === "user" && principal.sessionId) {
      if (!(await opts.sessionIsLive(principal.sessionId))) {
        throw new AppError("UNAUTHENTICATED", "Your session has ended.", {
          details: { reason: "session_revoked" },
          hint: "Sign in again.",
        });
      }
    }
  });
}

/** `x-api-key` / `x-goog-api-key` as a bearer token, on routes that opt in (the LLM proxy). */
function apiKeyHeader(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.config.apiKeyHeaders) return undefined;
  const value = request.headers["x-api-key"] ?? request.headers["x-goog-api-key"];
  return typeof value === "string" ? `Bearer ${value}` : undefined;
}

export const authGuard = fp(authPlugin, { name: "ah5-auth" });
