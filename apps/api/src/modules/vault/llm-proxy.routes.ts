import type { Principal, VaultExecuteRequest } from "@agenthifive/contracts";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../lib/errors.js";
import type { VaultService } from "./execute.service.js";

/** Provider → upstream base the agent's SDK path is appended to (API.md §3.10). */
export const LLM_UPSTREAMS: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  gemini: "https://generativelanguage.googleapis.com",
  openrouter: "https://openrouter.ai/api/v1",
};

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);
/** Our credentials and control headers never reach the provider. */
const STRIP = new Set([
  "authorization",
  "x-api-key",
  "x-goog-api-key",
  "x-ah5-connection-id",
  "x-ah5-approval-id",
  "host",
  "content-length",
  "connection",
  "accept-encoding",
  // Set by reverse proxies in front of the API, not by the agent's SDK (the engine refuses them).
  "x-original-url",
  "x-rewrite-url",
  "x-original-method",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
]);

type AgentPrincipal = Extract<Principal, { kind: "agent" }>;

export interface LlmProxyOptions {
  vault: VaultService;
  bodyLimit: number;
  /** The agent's connections bound by an enabled policy (provider → ids). */
  boundConnections(
    workspaceId: string,
    agentId: string,
  ): Promise<{ connectionId: string; provider: string }[]>;
  upstreams?: Readonly<Record<string, string>>;
}

const header = (r: FastifyRequest, name: string) => {
  const v = r.headers[name];
  return typeof v === "string" ? v : undefined;
};

/**
 * `ANY /v1/vault/llm/{provider}/*` (API.md §3.10): an agent points its OpenAI / Anthropic /
 * Gemini / OpenRouter SDK's base URL here and authenticates with its agent token. The request
 * goes through the same pipeline as Model B (policy, budget, step-up, SSRF guard, filters, audit);
 * the provider's answer comes back as it is, streamed, with no envelope.
 */
export const llmProxyRoutes: FastifyPluginAsync<LlmProxyOptions> = async (app, opts) => {
  const upstreams = opts.upstreams ?? LLM_UPSTREAMS;
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: opts.bodyLimit }, (_r, body, done) =>
    done(null, body),
  );

  async function connectionFor(agent: AgentPrincipal, provider: string, explicit: string | undefined) {
    if (explicit) return explicit;
    const bound = (await opts.boundConnections(agent.workspaceId, agent.agentId)).filter(
      (c) => c.provider === provider,
    );
    if (bound.length === 1 && bound[0]) return bound[0].connectionId;
    if (bound.length === 0) {
      throw new AppError("NO_POLICY", `No ${provider} connection is granted to this agent.`, {
        hint: "Request a permission (POST /v1/permission-requests) and wait for a person to grant it.",
      });
    }
    throw new AppError("CONFLICT", `Several ${provider} connections are granted to this agent.`, {
      hint: `Send the x-ah5-connection-id header with one of: ${bound.map((c) => c.connectionId).join(", ")}.`,
      details: { reason: "ambiguous_connection", connectionIds: bound.map((c) => c.connectionId) },
    });
  }

  async function handle(r: FastifyRequest, reply: FastifyReply) {
    const agent = r.principal as AgentPrincipal;
    const { provider, "*": rest = "" } = r.params as { provider: string; "*"?: string };
    const base = upstreams[provider];
    if (!base)
      throw new AppError("NOT_FOUND", "Unknown LLM provider.", {
        hint: `Use one of: ${Object.keys(upstreams).join(", ")}.`,
      });
    if (!METHODS.has(r.method)) throw new AppError("VALIDATION_FAILED", "This method cannot be proxied.");
    const connectionId = await connectionFor(agent, provider, header(r, "x-ah5-connection-id"));
    const query = r.url.includes("?") ? r.url.slice(r.url.indexOf("?")) : "";
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers)) {
      if (!STRIP.has(name) && typeof value === "string") headers[name] = value;
    }
    const raw = r.body;
    const body: Pick<VaultExecuteRequest, "body" | "bodyBase64"> =
      raw === undefined || raw === null
        ? {}
        : Buffer.isBuffer(raw)
          ? raw.length > 0
            ? { bodyBase64: raw.toString("base64") }
            : {}
          : { body: raw };
    const approvalId = header(r, "x-ah5-approval-id");
    const token =
      header(r, "authorization")?.replace(/^Bearer /, "") ??
      header(r, "x-api-key") ??
      header(r, "x-goog-api-key") ??
      "";
    const request = {
      model: "B",
      connectionId,
      method: r.method,
      url: `${base}/${rest}${query}`,
      headers,
      ...body,
      ...(approvalId ? { approvalId } : {}),
    } as VaultExecuteRequest;
    const result = await opts.vault.execute(agent, request, token, r.id, { passthrough: true });
    reply.header("cache-control", "no-store");
    if (result.kind === "approval") {
      return reply
        .status(202)
        .header("x-ah5-approval-required", "true")
        .header("x-ah5-approval-request-id", String(result.body.approvalRequestId))
        .send(result.body);
    }
    if (result.headers) reply.headers(result.headers);
    return reply.status(result.status).send(result.body);
  }

  app.route({
    method: [...METHODS],
    url: "/v1/vault/llm/:provider/*",
    bodyLimit: opts.bodyLimit,
    config: { principal: "agent", scope: "vault:execute", apiKeyHeaders: true },
    schema: { tags: ["vault"], summary: "Transparent LLM proxy: point a provider SDK's base URL here" },
    handler: async (r, reply) => {
      try {
        return await handle(r, reply);
      } catch (e) {
        // Our denials keep our error shape; the header tells them apart from the provider's.
        if (e instanceof AppError) reply.header("x-ah5-error-code", e.code);
        throw e;
      }
    },
  });
};
