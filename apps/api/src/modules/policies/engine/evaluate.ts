import {
  effectiveDefaultAction,
  type PolicyAction,
  type PolicyDecision,
  type PolicyDecisionCode,
  type ShadowMatch,
} from "@agenthifive/contracts";
import { allConditionsHold, type ConditionBody } from "./body-conditions.js";
import { type CompiledPolicy, type CompiledRequestRule, tryCompilePolicy } from "./compile.js";
import { headerValues, mediaType } from "./fingerprint.js";
import { formatSeconds, listOrigins, nearestOrigin, nearestPath, PERMISSION_HINT } from "./hints.js";
import { blockedRangeOf } from "./ip.js";
import { JsonTooDeepError, MAX_JSON_DEPTH } from "./json-paths.js";
import { matchPathPattern } from "./patterns.js";
import { requestHeaderProblem } from "./request-headers.js";
import { describeWindow, formatLocal, nextOpening, withinWindows } from "./time-windows.js";
import type { PolicyContext, PolicyRequest } from "./types.js";
import { buildFinalUrl, devAllowed, type FinalUrl } from "./url.js";

/**
 * `evaluateRequest` — POLICY.md §3, steps 1–10 in order. Pure: time and counters come from the
 * context. Returns the decision of §3 plus `url` (the final URL the provider call must use).
 */

/** Connection auth types whose credential is an OAuth access token (Model A may vend it). */
const OAUTH_AUTH_TYPES = new Set(["oauth", "device"]);

export function toMillis(now: PolicyContext["now"]): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === "number" ? now : Date.parse(now);
  if (!Number.isFinite(ms)) throw new TypeError("evaluateRequest: context.now is not a valid instant");
  return ms;
}

/** Declared body size: `bodyBytes`, else measured from the body. */
function declaredBytes(request: PolicyRequest): number {
  if (typeof request.bodyBytes === "number") return request.bodyBytes;
  if (request.body instanceof Uint8Array) return request.body.byteLength;
  if (request.body !== undefined) return Buffer.byteLength(JSON.stringify(request.body) ?? "", "utf8");
  if (typeof request.bodyBase64 === "string") return Buffer.from(request.bodyBase64, "base64").byteLength;
  return 0;
}

/** The body as body conditions see it (raw bytes count as JSON only when declared and parseable). */
function conditionBody(request: PolicyRequest): ConditionBody {
  let raw: Uint8Array | null = null;
  if (request.body instanceof Uint8Array) raw = request.body;
  else if (request.body !== undefined) return { json: true, value: request.body };
  else if (typeof request.bodyBase64 === "string") raw = Buffer.from(request.bodyBase64, "base64");
  if (!raw || raw.byteLength === 0) return { json: false, unreadable: false };
  const type = mediaType(headerValues(request.headers, "content-type")[0]);
  if (type !== "application/json" && !type?.endsWith("+json")) return { json: false, unreadable: true };
  try {
    return { json: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) };
  } catch {
    return { json: false, unreadable: true };
  }
}

interface RuleInput {
  method: string | null;
  url: FinalUrl | null;
  request: PolicyRequest;
  body: () => ConditionBody;
}

function ruleMatches(rule: CompiledRequestRule, input: RuleInput): boolean {
  if (rule.methods && (input.method === null || !rule.methods.has(input.method))) return false;
  if (rule.path && (input.url === null || !matchPathPattern(rule.path, input.url.segments))) return false;
  for (const q of rule.query) {
    if (input.url === null) return false;
    let any = false;
    for (const pair of input.url.query) {
      if (pair.key === q.key && q.match(pair.value)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  for (const h of rule.headers) {
    if (input.url === null) return false;
    if (!headerValues(input.request.headers, h.name).some((v) => h.match(v))) return false;
  }
  return rule.body.length === 0 || bodyConditionsHold(rule, input.body());
}

/**
 * POLICY.md §1 says body conditions do not hold on a body that is not JSON. For an allow rule
 * that is the safe reading; for a deny or approval rule it would let a form-encoded, text/plain
 * or mislabelled body walk past the restriction, so there an unreadable body counts as matching
 * (fail closed; docs/decisions.md).
 */
function bodyConditionsHold(rule: CompiledRequestRule, body: ConditionBody): boolean {
  if (!body.json && body.unreadable && rule.action !== "allow") return true;
  return allConditionsHold(rule.body, body);
}

const ruleName = (rule: CompiledRequestRule) =>
  rule.label ? `"${rule.label}" (${rule.id})` : `"${rule.id}"`;

function secondsToUtcMidnight(ms: number): number {
  const d = new Date(ms);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - ms) / 1000));
}

type Extra = Partial<Pick<PolicyDecision, "ruleId" | "hint" | "retryAfterSeconds" | "nextWindowAt">>;

/** Evaluates `request` against a compiled policy or a raw stored document. */
export function evaluateRequest(
  policy: unknown,
  request: PolicyRequest,
  context: PolicyContext,
): PolicyDecision {
  const nowMs = toMillis(context.now);
  const shadow: ShadowMatch[] = [];
  let finalUrl: FinalUrl | null = null;
  const out = (
    decision: PolicyAction,
    code: PolicyDecisionCode | undefined,
    reason: string,
    extra: Extra = {},
  ) => {
    const d: PolicyDecision = { decision, reason, shadow };
    if (code) d.code = code;
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) (d as Record<string, unknown>)[k] = v;
    if (finalUrl) d.url = finalUrl.href;
    return d;
  };
  const deny = (code: PolicyDecisionCode, reason: string, extra: Extra = {}) =>
    out("deny", code, reason, extra);

  const compiled = tryCompilePolicy(policy);
  if (!compiled.ok) {
    return deny("POLICY_DENIED", "The policy bound to this connection is not a valid policy document.", {
      hint: "Nothing is allowed until a human fixes the policy; report this to the workspace admins.",
    });
  }
  const p: CompiledPolicy = compiled.policy;
  const doc = p.document;

  // 1. Model
  if (!p.allowedModels.has(request.model)) {
    const allowed = [...p.allowedModels].join(", ");
    return deny("MODEL_NOT_ALLOWED", `This policy does not allow model ${String(request.model)}.`, {
      hint: `Use model ${allowed} for this connection${request.model === "A" ? " (the vault calls the provider for you)" : ""}.`,
    });
  }

  let method: string | null = null;
  if (request.model === "A") {
    // 2. Model A: no URL; only OAuth access tokens are ever vended.
    const authType = context.connectionAuthType;
    if (authType === undefined || !OAUTH_AUTH_TYPES.has(authType)) {
      return deny(
        "MODEL_NOT_ALLOWED",
        `Model A vends OAuth access tokens only; this connection's credential (${authType ?? "unknown"}) is never handed out.`,
        { hint: "Use model B: send the request through the vault, which injects the credential." },
      );
    }
    const allowedScopes = doc.modelA.scopes;
    if (allowedScopes && request.scopes) {
      const extra = request.scopes.filter((s) => !allowedScopes.includes(s));
      if (extra.length > 0) {
        return deny(
          "SCOPE_NOT_GRANTED",
          `The policy does not allow Model A tokens with scope ${extra.join(", ")}.`,
          {
            hint: `Request only these scopes: ${allowedScopes.join(", ") || "(none)"}.`,
          },
        );
      }
    }
  } else {
    if (typeof request.method !== "string" || !/^[A-Za-z]+$/.test(request.method)) {
      return deny("INVALID_REQUEST", "Model B needs an HTTP method.", {
        hint: 'Send method, e.g. "GET" or "POST".',
      });
    }
    method = request.method.toUpperCase();
    const headerProblem = requestHeaderProblem(request.headers);
    if (headerProblem) {
      return deny("INVALID_REQUEST", `Invalid request headers: ${headerProblem.reason}.`, {
        hint: headerProblem.hint,
      });
    }

    // 3. Final URL
    const built = buildFinalUrl(request.url, request.query, { devAllowHosts: context.devAllowHosts });
    if (!built.ok) {
      const hint = `${built.hint.charAt(0).toUpperCase()}${built.hint.slice(1)}.`;
      return deny(built.code, `Invalid request URL: ${built.reason}.`, { hint });
    }
    const url = built.url;
    finalUrl = url;

    // 4. IP literal in a blocked range
    if (url.ip && !devAllowed(url.host, url.port, context.devAllowHosts)) {
      const range = blockedRangeOf(url.ip);
      if (range) {
        return deny("SSRF_BLOCKED", `The host ${url.host} is in the blocked address range ${range}.`, {
          hint: "Use the provider's public API host name; private, loopback, link-local and metadata addresses are never reachable.",
        });
      }
    }

    // 5. Allowlist
    const sameOrigin = p.allowlists.filter((e) => e.origin === url.origin);
    if (sameOrigin.length === 0) {
      const nearest = nearestOrigin(p.allowlists, url);
      return deny("HOST_NOT_ALLOWLISTED", `${url.origin} is not allowlisted by this policy.`, {
        hint:
          nearest === null
            ? `This policy allowlists no origin at all; ${PERMISSION_HINT}.`
            : new Set(p.allowlists.map((e) => e.origin)).size === 1
              ? `This policy reaches only ${nearest}. Send the request there, or ${PERMISSION_HINT}.`
              : `This policy reaches ${listOrigins(p.allowlists)}; the nearest is ${nearest}. Send the request there, or ${PERMISSION_HINT}.`,
      });
    }
    const samePath = sameOrigin.filter((e) => e.paths.some((pt) => matchPathPattern(pt, url.segments)));
    if (samePath.length === 0) {
      const nearest = nearestPath(sameOrigin, url);
      return deny("PATH_NOT_ALLOWLISTED", `${url.path} is not allowlisted on ${url.origin}.`, {
        hint: nearest
          ? `The nearest allowlisted path is ${nearest.pattern} (${nearest.methods.join(", ")}); use a path it covers, or ${PERMISSION_HINT}.`
          : PERMISSION_HINT,
      });
    }
    if (!samePath.some((e) => e.methods.has(method as string))) {
      const methods = [...new Set(samePath.flatMap((e) => [...e.methods]))];
      return deny("METHOD_NOT_ALLOWED_BY_POLICY", `${method} is not allowed on ${url.path} by this policy.`, {
        hint: `Allowed methods for this path: ${methods.join(", ")}; use one of them, or ${PERMISSION_HINT}.`,
      });
    }

    // 6. Size
    const max = doc.limits?.maxRequestBytes;
    const bytes = declaredBytes(request);
    if (max !== undefined && bytes > max) {
      return deny(
        "PAYLOAD_TOO_LARGE",
        `The request body is ${bytes} bytes; this policy allows at most ${max}.`,
        {
          hint: `Send a body of at most ${max} bytes (split the work into smaller requests).`,
        },
      );
    }
  }

  // 7. Time windows
  if (!withinWindows(p.windows, nowMs)) {
    const windows = p.windows ?? [];
    const next = nextOpening(windows, nowMs);
    const described = windows.map(describeWindow).join("; ");
    if (next === null) {
      return deny("OUTSIDE_TIME_WINDOW", `Outside the policy's time windows (${described}).`, {
        hint: "No window opens in the next 8 days; ask a human to adjust the policy's time windows.",
      });
    }
    const at = new Date(next).toISOString();
    const opener = windows.find((w) => nextOpening([w], nowMs) === next) ?? windows[0];
    const local = opener ? ` (${formatLocal(opener, next)} ${opener.zone})` : "";
    return deny("OUTSIDE_TIME_WINDOW", `Outside the policy's time windows (${described}).`, {
      hint: `Retry at ${at}${local}, when the next window opens.`,
      nextWindowAt: at,
      retryAfterSeconds: Math.max(1, Math.ceil((next - nowMs) / 1000)),
    });
  }

  // 8. Request rules (shadow rules are recorded, the first non-shadow match decides)
  let cachedBody: ConditionBody | null = null;
  const input: RuleInput = {
    method,
    url: finalUrl,
    request,
    body: () => {
      cachedBody ??= conditionBody(request);
      return cachedBody;
    },
  };
  let decided: CompiledRequestRule | null = null;
  try {
    for (const rule of p.requestRules) {
      if (!ruleMatches(rule, input)) continue;
      if (rule.shadow) {
        shadow.push({ ruleId: rule.id, wouldBe: rule.action });
        continue;
      }
      decided = rule;
      break;
    }
  } catch (err) {
    if (!(err instanceof JsonTooDeepError)) throw err;
    shadow.length = 0;
    return deny(
      "INVALID_REQUEST",
      "The request body is nested too deeply for the policy's body conditions.",
      {
        hint: `Send a JSON body nested at most ${MAX_JSON_DEPTH} levels deep.`,
      },
    );
  }
  const action: PolicyAction = decided ? decided.action : effectiveDefaultAction(doc, method ?? undefined);
  const what = method && finalUrl ? `${method} ${finalUrl.path}` : "vending a Model A token";

  if (action === "deny") {
    if (decided) {
      return deny("POLICY_DENIED", `Rule ${ruleName(decided)} denies ${what}.`, {
        ruleId: decided.id,
        hint: decided.hint ?? `Do not retry this request unchanged; ${PERMISSION_HINT}.`,
      });
    }
    const mode =
      doc.defaultAction !== undefined
        ? "the policy's default action is deny"
        : doc.defaultMode === "read_only"
          ? `the policy is read-only by default (only GET, HEAD and OPTIONS${method ? "" : " requests, never tokens"} are allowed without a rule)`
          : "the policy's default (custom mode) is deny";
    return deny("POLICY_DENIED", `No rule allows ${what} and ${mode}.`, {
      hint: `Do not retry this request unchanged; ${PERMISSION_HINT}.`,
    });
  }

  // 9. Rate limit and budget (only for requests that would execute or await approval)
  const limits = doc.limits;
  const usage = context.usage ?? {};
  if (limits?.rateLimit && (usage.requestsInWindow ?? 0) >= limits.rateLimit.requests) {
    const retry = Math.max(1, Math.ceil(usage.retryAfterSeconds ?? limits.rateLimit.windowSeconds));
    return deny(
      "RATE_LIMITED",
      `The policy's rate limit of ${limits.rateLimit.requests} requests per ${limits.rateLimit.windowSeconds} s is reached.`,
      { hint: `Retry after ${formatSeconds(retry)}.`, retryAfterSeconds: retry },
    );
  }
  if (limits?.budget && (usage.requestsToday ?? 0) >= limits.budget.requestsPerDay) {
    const retry = secondsToUtcMidnight(nowMs);
    return deny(
      "BUDGET_EXCEEDED",
      `The daily budget of ${limits.budget.requestsPerDay} requests is used up.`,
      {
        hint: `The budget resets at 00:00 UTC (in ${formatSeconds(retry)}); retry then, or ask a human to raise it.`,
        retryAfterSeconds: retry,
      },
    );
  }

  // 10. Decision
  if (action === "require_approval") {
    return out(
      "require_approval",
      "APPROVAL_REQUIRED",
      decided
        ? `Rule ${ruleName(decided)} requires a human approval for ${what}.`
        : `The policy's default requires a human approval for ${what}.`,
      {
        ruleId: decided?.id,
        hint:
          decided?.hint ??
          "A human must approve this exact request: wait for the approval to be granted, then resend the identical request with approvalId.",
      },
    );
  }
  return out(
    "allow",
    undefined,
    decided
      ? `Allowed by rule ${ruleName(decided)}.`
      : `Allowed by the policy's default (${doc.defaultAction ?? doc.defaultMode}).`,
    { ruleId: decided?.id },
  );
}
