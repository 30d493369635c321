import type { Readable } from "node:stream";
import {
  API_ERROR_STATUS,
  type ApiErrorCode,
  type Principal,
  type VaultExecuteRequest,
} from "@agenthifive/contracts";
import { isSecurityError } from "@agenthifive/security";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import type { ApprovalService } from "../approvals/index.js";
import type { AuditInsert, AuditWriter } from "../audit/index.js";
import type { FreshCredential, TokenRefresher } from "../connections/index.js";
import {
  createResponseStreamFilter,
  DEFAULT_MAX_RESPONSE_BYTES,
  evaluateRequest,
  filterResponse,
  requestFingerprint,
} from "../policies/engine/index.js";
import type { BoundPolicy, PolicyService } from "../policies/index.js";
import type { OutboundClient } from "./outbound.js";
import { approvalSummary } from "./steps/approval-summary.js";
import { decodeContentEncoding } from "./steps/content-encoding.js";
import {
  type CredentialForms,
  createCredentialScrubber,
  credentialForms,
  scrubCredential,
  scrubHeaders,
  scrubJson,
  scrubText,
} from "./steps/credential-echo.js";
import { filterAgentHeaders, filterResponseHeaders } from "./steps/headers.js";
import { injectCredential } from "./steps/inject.js";
import { reserveLimits } from "./steps/rate-limit.js";
import { decodeBody, readBody } from "./steps/read-body.js";
import { requestTarget } from "./steps/request-target.js";
import { downloadDisposition, streamBody } from "./steps/stream-body.js";
import { assertUsable, type ConnectionCache } from "./vault-context.js";

type AgentPrincipal = Extract<Principal, { kind: "agent" }>;

export interface VaultDeps {
  database: Database;
  clock: Clock;
  policies: PolicyService;
  approvals: ApprovalService;
  audit: AuditWriter;
  connections: ConnectionCache;
  /** OAuth access tokens within 60 s of expiry are refreshed (single-flight) before use. */
  refresher?: TokenRefresher;
  outbound: OutboundClient;
  devAllowHosts: string[];
  approvalTtlSeconds: number;
}

export type VaultResult =
  | { kind: "envelope"; status: 200; body: Record<string, unknown>; headers?: Record<string, string> }
  | { kind: "approval"; status: 202; body: Record<string, unknown> }
  | { kind: "stream"; status: number; headers: Record<string, string>; body: Readable };

export interface ExecuteOptions {
  /** The LLM proxy (API.md §3.10): provider status, headers and body as they are, no envelope. */
  passthrough?: boolean;
}

/**
 * POST /v1/vault/execute — the pipeline of POLICY.md §7, in order: connection state → policy →
 * evaluateRequest → approval (create or redeem) → limits → credential → guarded fetch →
 * filterResponse → audit commit → response. Every step that ends the request writes one audit
 * event, and the response waits for its audit row to be committed.
 */
export function createVaultService(deps: VaultDeps) {
  async function audit(event: Omit<AuditInsert, "occurredAt" | "actorType">) {
    return deps.audit.record({ ...event, occurredAt: deps.clock.now(), actorType: "agent" });
  }

  async function deny(
    base: Omit<AuditInsert, "occurredAt" | "actorType" | "action" | "outcome">,
    code: ApiErrorCode,
    message: string,
    extra: { hint?: string; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ): Promise<never> {
    const auditId = await audit({
      ...base,
      action: "vault.denied",
      outcome: "failure",
      decision: "deny",
      code,
    });
    throw new AppError(code, message, {
      status: API_ERROR_STATUS[code],
      hint: extra.hint,
      headers: extra.headers,
      details: { ...extra.details, auditId },
    });
  }

  /**
   * The connection with its decrypted credential. An envelope that does not decrypt (tampered,
   * or encrypted under a key this replica does not hold) fails closed, audited like any other end.
   */
  async function loadConnection(
    base: Omit<AuditInsert, "occurredAt" | "actorType" | "action" | "outcome"> & {
      connectionId: string;
    },
  ) {
    try {
      return await deps.connections.load(base.workspaceId, base.connectionId);
    } catch (e) {
      if (!isSecurityError(e)) throw e;
      const auditId = await audit({
        ...base,
        action: "vault.failed",
        outcome: "error",
        code: "INTERNAL",
        details: { reason: "credential_unreadable" },
      });
      throw new AppError("INTERNAL", "The stored credential of this connection cannot be read.", {
        status: 500,
        hint: "A workspace admin should reconnect the account. If every connection fails, the server is missing an ENCRYPTION_KEYS entry.",
        details: { auditId },
      });
    }
  }

  return {
    async execute(
      agent: AgentPrincipal,
      req: VaultExecuteRequest,
      agentToken: string,
      requestId: string,
      options: ExecuteOptions = {},
    ): Promise<VaultResult> {
      const startedAt = performance.now();
      const base = {
        workspaceId: agent.workspaceId,
        actorId: agent.agentId,
        agentId: agent.agentId,
        connectionId: req.connectionId,
        requestId,
      };
      const loaded = await loadConnection(base);
      const binding: BoundPolicy | null = loaded
        ? await deps.policies.binding(agent.workspaceId, agent.agentId, req.connectionId)
        : null;
      if (!loaded || !binding?.enabled) {
        // Unknown connection and "no policy" look the same: an agent learns nothing about others.
        return deny(base, "NO_POLICY", "No policy lets this agent use this connection.", {
          hint: "Request a permission (POST /v1/permission-requests) and wait for a person to grant it.",
        });
      }
      try {
        assertUsable(loaded.row);
      } catch (e) {
        if (e instanceof AppError) return deny(base, e.code, e.message, { hint: e.hint });
        throw e;
      }
      const withPolicy = { ...base, policyId: binding.id, policyVersion: binding.version };
      const now = deps.clock.now();
      const request = {
        model: req.model,
        method: req.method,
        url: req.url,
        query: req.query,
        headers: req.headers,
        body: req.bodyBase64 !== undefined ? Buffer.from(req.bodyBase64, "base64") : req.body,
        scopes: req.scopes,
      };
      const decision = evaluateRequest(binding.compiled, request, {
        now,
        connectionAuthType: loaded.row.authType,
        devAllowHosts: deps.devAllowHosts,
      });
      const target = requestTarget(decision.url ?? undefined, req.method);
      if (decision.decision === "deny") {
        const code = (decision.code ?? "POLICY_DENIED") as ApiErrorCode;
        return deny({ ...withPolicy, details: { target, ruleId: decision.ruleId } }, code, decision.reason, {
          hint: decision.hint,
          details: {
            ...(decision.ruleId ? { ruleId: decision.ruleId } : {}),
            ...(decision.nextWindowAt ? { nextWindowAt: decision.nextWindowAt } : {}),
          },
          headers: decision.retryAfterSeconds
            ? { "retry-after": String(decision.retryAfterSeconds) }
            : undefined,
        });
      }

      let approvalId: string | undefined;
      if (decision.decision === "require_approval") {
        // Only step-up requests need the fingerprint that binds an approval to one exact request.
        const fingerprint = Buffer.from(
          requestFingerprint(request, { devAllowHosts: deps.devAllowHosts }),
          "hex",
        );
        if (!req.approvalId) {
          const summary = approvalSummary(
            decision.url ?? undefined,
            req.method,
            req.body,
            req.bodyBase64,
            // What would be forwarded (the vault drops credentials and hop-by-hop headers).
            filterAgentHeaders(req.headers, agentToken).kept,
          );
          const approval = await deps.approvals.create({
            workspaceId: agent.workspaceId,
            agentId: agent.agentId,
            connectionId: req.connectionId,
            policyId: binding.id,
            policyVersion: binding.version,
            ruleId: decision.ruleId ?? null,
            model: req.model,
            fingerprint,
            requestSummary: summary,
            reason: decision.reason,
            ttlSeconds: binding.compiled.document.approval?.ttlSeconds ?? deps.approvalTtlSeconds,
          });
          const auditId = await audit({
            ...withPolicy,
            action: "vault.approval_requested",
            outcome: "success",
            decision: "require_approval",
            code: "APPROVAL_REQUIRED",
            details: { target, approvalId: approval.id, ruleId: decision.ruleId },
          });
          return {
            kind: "approval",
            status: 202,
            body: {
              approvalRequired: true,
              approvalRequestId: approval.id,
              expiresAt: approval.expiresAt.toISOString(),
              reason: decision.reason,
              hint: `Wait for GET /v1/approvals/${approval.id}?wait=30 to report approved, then resend the identical request with approvalId.`,
              ruleId: decision.ruleId ?? null,
              code: "APPROVAL_REQUIRED",
              requestId,
              auditId,
            },
          };
        }
        try {
          approvalId = (
            await deps.approvals.redeem(agent, req.approvalId, {
              connectionId: req.connectionId,
              model: req.model,
              fingerprint,
            })
          ).id;
        } catch (e) {
          if (e instanceof AppError)
            return deny({ ...withPolicy, details: { target } }, e.code, e.message, {
              hint: e.hint,
              details: e.details,
            });
          throw e;
        }
        await audit({
          ...withPolicy,
          action: "vault.approval_consumed",
          outcome: "success",
          decision: "allow",
          details: { approvalId },
        });
      }

      try {
        await reserveLimits(
          deps.database,
          agent.workspaceId,
          binding.id,
          binding.compiled.document.limits,
          now,
        );
      } catch (e) {
        if (e instanceof AppError)
          return deny({ ...withPolicy, details: { target } }, e.code, e.message, {
            hint: e.hint,
            headers: e.headers,
            details: e.details,
          });
        throw e;
      }

      let fresh: FreshCredential = {
        credential: loaded.credential ?? { kind: "api_key" },
        accessExpiresAt: loaded.row.accessExpiresAt,
      };
      if (deps.refresher?.needsRefresh(loaded.row, loaded.credential)) {
        try {
          fresh = await deps.refresher.freshCredential(agent.workspaceId, req.connectionId, loaded);
        } catch (e) {
          if (e instanceof AppError)
            return deny({ ...withPolicy, details: { target } }, e.code, e.message, {
              hint: e.hint,
              headers: e.headers,
            });
          throw e;
        }
      }

      let filteredHeaders: ReturnType<typeof filterAgentHeaders> = { kept: {}, dropped: [] };
      deps.connections.touch(agent.workspaceId, req.connectionId, now);
      if (req.model === "A") return vendToken();
      return proxy();

      async function vendToken(): Promise<VaultResult> {
        const accessToken = fresh.credential.accessToken;
        const expires = fresh.accessExpiresAt;
        const remaining = expires ? Math.floor((expires.getTime() - deps.clock.now().getTime()) / 1000) : 0;
        if (!accessToken || remaining <= 0) {
          return deny(
            withPolicy,
            "CONNECTION_NEEDS_REAUTH",
            "No fresh access token is available for this connection.",
            {
              hint: "Ask a workspace member to reconnect this account.",
            },
          );
        }
        const expiresIn = Math.min(remaining, binding?.compiled.document.modelA?.maxTtlSeconds ?? 600, 3600);
        const auditId = await audit({
          ...withPolicy,
          action: "vault.token_vended",
          outcome: "success",
          decision: "allow",
          details: { expiresIn },
        });
        return {
          kind: "envelope",
          status: 200,
          body: {
            model: "A",
            accessToken,
            tokenType: fresh.credential.tokenType ?? "Bearer",
            expiresIn,
            scopes: loaded?.row.scopes ?? [],
            connectionId: req.connectionId,
            auditId,
          },
        };
      }

      async function proxy(): Promise<VaultResult> {
        filteredHeaders = filterAgentHeaders(req.headers, agentToken);
        const { kept } = filteredHeaders;
        kept["accept-encoding"] = "identity";
        let body: Buffer | string | undefined;
        if (req.bodyBase64 !== undefined) body = Buffer.from(req.bodyBase64, "base64");
        else if (req.body !== undefined) {
          body = JSON.stringify(req.body);
          kept["content-type"] ??= "application/json";
        }
        let injected: { headers: Record<string, string>; url: string };
        try {
          injected = injectCredential(
            loaded?.row.provider ?? "",
            fresh.credential,
            kept,
            decision.url as string,
            deps.devAllowHosts,
          );
        } catch (e) {
          if (e instanceof AppError)
            return deny({ ...withPolicy, details: { target } }, e.code, e.message, { hint: e.hint });
          throw e;
        }
        // The headers the injection set: those whose value differs from what the agent sent
        // (compared trimmed: the injection normalises header values).
        const injectedNames = Object.keys(injected.headers).filter(
          (name) => injected.headers[name] !== kept[name]?.trim(),
        );
        const echoForms = credentialForms(
          fresh.credential.accessToken ?? fresh.credential.secret ?? "",
          Object.fromEntries(injectedNames.map((name) => [name, injected.headers[name] as string])),
          fresh.credential,
        );
        const maxBytes = binding?.compiled.document.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        const failed = async (e: AppError): Promise<never> => {
          const auditId = await audit({
            ...withPolicy,
            action: "vault.failed",
            outcome: "error",
            decision: "allow",
            code: e.code,
            details: { target },
          });
          // An error may quote what was sent; the credential never goes back with it.
          throw new AppError(e.code, scrubText(e.message, echoForms), {
            status: e.status,
            hint: e.hint,
            headers: e.headers,
            details: JSON.parse(scrubText(JSON.stringify({ ...e.details, auditId }), echoForms)),
          });
        };
        let upstream: Awaited<ReturnType<OutboundClient["request"]>>;
        try {
          upstream = await deps.outbound.request({
            method: req.method as string,
            url: injected.url,
            headers: injected.headers,
            body,
            credentialHeaders: injectedNames,
            checkRedirect: (next) => {
              const again = evaluateRequest(
                binding?.compiled,
                { ...request, url: next.toString(), query: undefined },
                {
                  now: deps.clock.now(),
                  connectionAuthType: loaded?.row.authType,
                  devAllowHosts: deps.devAllowHosts,
                },
              );
              // Only a target the policy allows outright: an approval covered the first URL only.
              if (again.decision !== "allow") {
                throw new AppError(
                  "SSRF_BLOCKED",
                  again.decision === "deny"
                    ? "The provider redirected outside what the policy allows."
                    : "The provider redirected to a request that would need its own approval.",
                  { hint: "Nothing to retry." },
                );
              }
            },
          });
          upstream = decodeContentEncoding(upstream, req.method as string);
        } catch (e) {
          if (e instanceof AppError) return failed(e);
          throw e;
        }
        const ok = upstream.status >= 200 && upstream.status < 300;
        const mode = options.passthrough
          ? "passthrough"
          : req.download
            ? "download"
            : req.stream
              ? "stream"
              : "envelope";
        if (mode === "passthrough" || (ok && (mode === "stream" || mode === "download"))) {
          return streamed(upstream, mode, maxBytes, failed, echoForms);
        }
        let bytes: Buffer;
        try {
          bytes = await readBody(upstream.body, maxBytes);
        } catch (e) {
          if (e instanceof AppError) return failed(e);
          throw e;
        }
        const result = await buffered(upstream, bytes, echoForms);
        // A download that failed at the provider answers with the envelope, marked, so no client
        // ever saves an envelope as the file (API.md §3.9.3).
        if (mode === "download" && result.kind === "envelope") result.headers = { "x-vault-envelope": "1" };
        return result;
      }

      /** Stream, download and LLM pass-through: the body flows on as it arrives, filtered. */
      async function streamed(
        upstream: Awaited<ReturnType<OutboundClient["request"]>>,
        mode: "stream" | "download" | "passthrough",
        maxBytes: number,
        failed: (e: AppError) => Promise<never>,
        echoForms: CredentialForms,
      ): Promise<VaultResult> {
        const contentType = String(upstream.headers["content-type"] ?? "") || undefined;
        const filter = createResponseStreamFilter(
          binding?.compiled,
          { method: req.method, url: decision.url ?? undefined },
          contentType,
        );
        const unfilterable = filter && (mode === "download" || filter.push(new Uint8Array()).blocked);
        if (unfilterable) {
          upstream.body.destroy();
          return failed(
            new AppError(
              "RESPONSE_UNFILTERABLE",
              "A response rule applies that this answer cannot go through.",
              {
                hint:
                  mode === "download"
                    ? "Call without download: true so the response rules can be applied."
                    : "Call without stream: true (JSON answers are filtered when buffered).",
              },
            ),
          );
        }
        const auditId = await audit({
          ...withPolicy,
          action: "vault.executed",
          outcome: "success",
          decision: "allow",
          httpStatus: upstream.status,
          latencyMs: Math.round(performance.now() - startedAt),
          details: {
            target,
            mode,
            droppedHeaders: filteredHeaders.dropped,
            ...(approvalId ? { approvalId } : {}),
          },
        });
        const body = streamBody(
          upstream.body,
          filter,
          maxBytes,
          (end) => {
            if (end.kind === "complete") return;
            // The provider call is already on record; a cut stream is recorded beside it.
            void audit({
              ...withPolicy,
              action: "vault.stream_cut",
              outcome: "error",
              code:
                end.kind === "too_large"
                  ? "RESPONSE_TOO_LARGE"
                  : end.kind === "unfilterable"
                    ? "RESPONSE_UNFILTERABLE"
                    : "CLIENT_CLOSED",
              details: { target, bytes: end.bytes, executedAuditId: auditId },
            }).catch(() => undefined);
          },
          createCredentialScrubber(echoForms),
        );
        const headers: Record<string, string> = {
          ...scrubHeaders(filterResponseHeaders(upstream.headers), echoForms),
          "x-audit-id": auditId,
        };
        if (mode === "download") {
          headers["content-disposition"] = downloadDisposition(
            headers["content-disposition"],
            decision.url ?? "https://x/download",
          );
        }
        return { kind: "stream", status: mode === "download" ? 200 : upstream.status, headers, body };
      }

      async function buffered(
        upstream: Awaited<ReturnType<OutboundClient["request"]>>,
        raw: Buffer,
        echoForms: CredentialForms,
      ): Promise<VaultResult> {
        const scrubbed = scrubCredential(raw, echoForms);
        const bytes = scrubbed.bytes;
        let echoes = scrubbed.echoes;
        const contentType = String(upstream.headers["content-type"] ?? "") || undefined;
        let decoded = decodeBody(bytes, contentType);
        // Only a \u escape can spell the credential out past the byte check: then look again, parsed.
        if ("body" in decoded && bytes.includes("\\u")) {
          const again = scrubJson(decoded.body, echoForms);
          decoded = { body: again.value };
          echoes += again.echoes;
        }
        // Response rules see parsed JSON or text; other bodies are checked as raw bytes, and
        // any body a matching rule cannot filter is withheld (fail closed, POLICY.md §4).
        const filtered = filterResponse(
          binding?.compiled,
          { method: req.method, url: decision.url ?? undefined },
          {
            status: upstream.status,
            contentType,
            body: "body" in decoded ? decoded.body : bytes,
            bodyBytes: bytes.length,
          },
        );
        if (filtered.blocked) {
          const auditId = await audit({
            ...withPolicy,
            action: "vault.failed",
            outcome: "error",
            code: "RESPONSE_UNFILTERABLE",
            httpStatus: upstream.status,
            details: { target },
          });
          throw new AppError(
            "RESPONSE_UNFILTERABLE",
            "The answer could not be filtered as the policy requires, so it was withheld.",
            {
              hint: "Ask a workspace admin to adjust the response rules for this endpoint.",
              details: { auditId },
            },
          );
        }
        const envelopeBody = "body" in decoded ? { body: filtered.body } : decoded;
        const redactions = filtered.redactions;
        const auditId = await audit({
          ...withPolicy,
          action: "vault.executed",
          outcome: "success",
          decision: "allow",
          httpStatus: upstream.status,
          latencyMs: Math.round(performance.now() - startedAt),
          details: {
            target,
            bytes: raw.length,
            redactions: redactions.length,
            // The provider sent the credential back; the agent got it replaced.
            ...(echoes ? { credentialEchoes: echoes } : {}),
            droppedHeaders: filteredHeaders.dropped,
            ...(approvalId ? { approvalId } : {}),
          },
        });
        return {
          kind: "envelope",
          status: 200,
          body: {
            model: "B",
            status: upstream.status,
            headers: scrubHeaders(filterResponseHeaders(upstream.headers), echoForms),
            ...envelopeBody,
            truncated: false,
            auditId,
            ...(redactions.length ? { redactions } : {}),
          },
        };
      }
    },
  };
}
export type VaultService = ReturnType<typeof createVaultService>;
