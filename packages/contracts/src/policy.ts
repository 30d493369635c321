import { z } from "zod";

/**
 * The policy document, version 1 (POLICY.md §1), and the engine's output shapes (§3, §4).
 *
 * The same schema validates a policy on write and applies the defaults of §1 when the engine loads
 * it, so a stored document may omit anything it does not need. Every object is strict: a typo is a
 * validation error, never a silently ignored rule.
 */

// ---------------------------------------------------------------------------------------------
// Syntax checks shared with the engine (each returns a problem sentence, or null when fine)
// ---------------------------------------------------------------------------------------------

/** True when `s` contains a C0 or C1 control character or DEL. */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** Problem with a path pattern of POLICY.md §2 (`/a/*` and `/a/**`), or null. */
export function pathPatternProblem(pattern: string): string | null {
  if (!pattern.startsWith("/")) return `path pattern must start with "/" (got "${pattern}")`;
  if (/[?#]/.test(pattern))
    return "path pattern must not contain ? or # (use match.query for query conditions)";
  if (hasControlCharacter(pattern) || /[\s\\]/.test(pattern))
    return "path pattern must not contain spaces, control characters or \\";
  if (pattern === "/") return null;
  const segments = pattern.slice(1).split("/");
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? "";
    if (seg === "") {
      if (i === segments.length - 1) continue; // a single trailing slash is a literal
      return `path pattern must not contain an empty segment ("//") (got "${pattern}")`;
    }
    if (seg === "." || seg === "..")
      return `path pattern must not contain "." or ".." segments (got "${pattern}")`;
    if (seg !== "*" && seg !== "**" && seg.includes("*")) {
      return `"*" and "**" must be whole segments (got "${seg}" in "${pattern}")`;
    }
  }
  return null;
}

/** Problem with a JSON field path of POLICY.md §4 (`a.b`, `items.*.id`, `**.email`), or null. */
export function fieldPathProblem(path: string): string | null {
  if (path === "") return "field path must not be empty";
  for (const seg of path.split(".")) {
    if (seg === "") return `field path must not contain an empty segment (got "${path}")`;
    if (seg !== "*" && seg !== "**" && seg.includes("*")) {
      return `"*" and "**" must be whole segments of a field path (got "${seg}" in "${path}")`;
    }
  }
  return null;
}

/** Problem with an allowlist origin (`scheme://host[:port]`), or null. */
export function originProblem(origin: string): string | null {
  const hint = `origin must be scheme://host[:port] with no path, e.g. "https://api.example.com" (got "${origin}")`;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\s\\]+$/.test(origin)) return hint;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return hint;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return `origin scheme must be https (got "${origin}")`;
  if (url.hostname === "") return hint;
  return null;
}

/** True when `zone` is an IANA time zone this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "" || /^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Problem with a `matches` regular expression source (compiled with the `u` flag), or null. */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source, "u");
    return null;
  } catch (err) {
    return `"matches" must be a valid JavaScript regular expression with the u flag: ${(err as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

export const EXECUTION_MODELS = ["A", "B"] as const;
export const ExecutionModelSchema = z.enum(EXECUTION_MODELS);
export type ExecutionModel = z.infer<typeof ExecutionModelSchema>;

export const POLICY_ACTIONS = ["allow", "deny", "require_approval"] as const;
export const PolicyActionSchema = z.enum(POLICY_ACTIONS);
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

export const DEFAULT_MODES = ["read_only", "read_write", "custom"] as const;
export const DefaultModeSchema = z.enum(DEFAULT_MODES);
export type DefaultMode = z.infer<typeof DefaultModeSchema>;

export const PII_TYPES = [
  "email",
  "phone",
  "credit_card",
  "iban",
  "us_ssn",
  "uk_nino",
  "ip_address",
] as const;
export const PiiTypeSchema = z.enum(PII_TYPES);
export type PiiType = z.infer<typeof PiiTypeSchema>;

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** An HTTP method token; lower case is accepted and upper-cased. */
export const HttpMethodSchema = z
  .string()
  .regex(/^[A-Za-z]{1,20}$/, 'method must be an HTTP method such as "GET" or "POST"')
  .transform((m) => m.toUpperCase());

export const PathPatternSchema = z
  .string()
  .max(2048)
  .superRefine((p, ctx) => {
    const problem = pathPatternProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const FieldPathSchema = z
  .string()
  .max(1024)
  .superRefine((p, ctx) => {
    const problem = fieldPathProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const OriginSchema = z
  .string()
  .max(300)
  .superRefine((o, ctx) => {
    const problem = originProblem(o);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const RuleIdSchema = z
  .string()
  .min(1, "rule id must not be empty")
  .max(128)
  .refine(
    (id) => !/\s/.test(id) && !hasControlCharacter(id),
    "rule id must not contain spaces or control characters",
  );

/** A value glob: `*` matches any run of characters (including none); everything else is literal. */
const ValueGlobSchema = z.string().max(1024);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// ---------------------------------------------------------------------------------------------
// Request rules
// ---------------------------------------------------------------------------------------------

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 64) return false;
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v).every((x) => isJsonValue(x, depth + 1));
  }
  return false;
}

const JsonValueSchema = z.custom<JsonValue>((v) => isJsonValue(v), {
  error: "value is required for this op and must be a JSON value",
});

const RegexSourceSchema = z
  .string()
  .max(1000)
  .superRefine((s, ctx) => {
    const problem = regexProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const BodyConditionSchema = z.discriminatedUnion(
  "op",
  [
    z.strictObject({ path: FieldPathSchema, op: z.literal("eq"), value: JsonValueSchema }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("neq"), value: JsonValueSchema }),
    z.strictObject({
      path: FieldPathSchema,
      op: z.literal("in"),
      value: z.array(JsonValueSchema).min(1, '"in" needs a non-empty array value'),
    }),
    z.strictObject({
      path: FieldPathSchema,
      op: z.literal("not_in"),
      value: z.array(JsonValueSchema).min(1, '"not_in" needs a non-empty array value'),
    }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("matches"), value: RegexSourceSchema }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("exists") }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("not_exists") }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("contains"), value: JsonValueSchema }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("gt"), value: z.number() }),
    z.strictObject({ path: FieldPathSchema, op: z.literal("lt"), value: z.number() }),
  ],
  {
    error: "op must be one of eq, neq, in, not_in, matches, exists, not_exists, contains, gt, lt",
  },
);
export type BodyCondition = z.infer<typeof BodyConditionSchema>;
export type BodyConditionOp = BodyCondition["op"];

export const RequestMatchSchema = z.strictObject({
  methods: z.array(HttpMethodSchema).min(1).optional(),
  path: PathPatternSchema.optional(),
  query: z.record(z.string().min(1), ValueGlobSchema).optional(),
  headers: z
    .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "invalid header name"), ValueGlobSchema)
    .optional(),
  body: z.array(BodyConditionSchema).optional(),
});
export type RequestMatch = z.infer<typeof RequestMatchSchema>;

export const RequestRuleSchema = z.strictObject({
  id: RuleIdSchema,
  label: z.string().max(200).optional(),
  match: RequestMatchSchema,
  action: PolicyActionSchema,
  shadow: z.boolean().optional(),
  hint: z.string().max(500).optional(),
});
export type RequestRule = z.infer<typeof RequestRuleSchema>;

// ---------------------------------------------------------------------------------------------
// Response rules
// ---------------------------------------------------------------------------------------------

export const ResponseTransformSchema = z
  .strictObject({
    allowFields: z.array(FieldPathSchema).min(1).optional(),
    denyFields: z.array(FieldPathSchema).min(1).optional(),
    redactPii: z
      .strictObject({
        types: z.union([z.literal("all"), z.array(PiiTypeSchema).min(1)], {
          error: `types must be "all" or a non-empty list of: ${PII_TYPES.join(", ")}`,
        }),
      })
      .optional(),
  })
  .refine((t) => t.allowFields !== undefined || t.denyFields !== undefined || t.redactPii !== undefined, {
    message: "transform needs at least one of allowFields, denyFields, redactPii",
  });
export type ResponseTransform = z.infer<typeof ResponseTransformSchema>;

export const ResponseRuleSchema = z.strictObject({
  id: RuleIdSchema,
  match: z
    .strictObject({
      methods: z.array(HttpMethodSchema).min(1).optional(),
      path: PathPatternSchema.optional(),
    })
    .optional(),
  transform: ResponseTransformSchema,
});
export type ResponseRule = z.infer<typeof ResponseRuleSchema>;

// ---------------------------------------------------------------------------------------------
// Allowlists, windows, limits
// ---------------------------------------------------------------------------------------------

export const AllowlistEntrySchema = z.strictObject({
  origin: OriginSchema,
  paths: z.array(PathPatternSchema).min(1, "an allowlist entry needs at least one path pattern"),
  methods: z.array(HttpMethodSchema).min(1, "an allowlist entry needs at least one method"),
});
export type AllowlistEntry = z.infer<typeof AllowlistEntrySchema>;

export const TimeWindowSchema = z
  .strictObject({
    days: z
      .array(WeekdaySchema, { error: "days must be a list of mon, tue, wed, thu, fri, sat, sun" })
      .min(1),
    start: z.string().regex(HHMM, 'start must be HH:MM (24-hour clock), e.g. "09:00"'),
    end: z
      .string()
      .regex(
        /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
        'end must be HH:MM (24-hour clock, or "24:00"), e.g. "17:00"',
      ),
    timezone: z
      .string()
      .refine(isValidTimeZone, 'timezone must be an IANA time zone such as "Europe/Berlin" or "UTC"'),
  })
  .refine((w) => w.start !== w.end, {
    message: "start and end must differ (use 00:00–24:00 for a whole day)",
    path: ["end"],
  });
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

const positiveInt = z.number().int().positive();

export const PolicyLimitsSchema = z.strictObject({
  maxRequestBytes: positiveInt.optional(),
  maxResponseBytes: positiveInt.optional(),
  rateLimit: z
    .strictObject({
      requests: positiveInt,
      windowSeconds: positiveInt.max(86_400),
    })
    .optional(),
  budget: z.strictObject({ requestsPerDay: positiveInt }).optional(),
});
export type PolicyLimits = z.infer<typeof PolicyLimitsSchema>;

export const ModelAOptionsSchema = z.strictObject({
  maxTtlSeconds: positiveInt.max(3600),
  scopes: z.array(z.string().min(1).max(512)).optional(),
});

export const ApprovalOptionsSchema = z.strictObject({
  ttlSeconds: positiveInt.max(7 * 86_400),
});

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

export const PolicyDocumentSchema = z
  .strictObject({
    version: z.literal(1, { error: "version must be 1" }),
    allowedModels: z.array(ExecutionModelSchema).min(1).default(["B"]),
    defaultMode: DefaultModeSchema.default("read_only"),
    defaultAction: PolicyActionSchema.optional(),
    allowlists: z.array(AllowlistEntrySchema).default([]),
    requestRules: z.array(RequestRuleSchema).default([]),
    responseRules: z.array(ResponseRuleSchema).default([]),
    timeWindows: z.array(TimeWindowSchema).optional(),
    limits: PolicyLimitsSchema.optional(),
    modelA: ModelAOptionsSchema.default({ maxTtlSeconds: 600 }),
    approval: ApprovalOptionsSchema.default({ ttlSeconds: 1800 }),
  })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, string>();
    const check = (id: string, where: "requestRules" | "responseRules", index: number) => {
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `rule id "${id}" is already used by ${first}; rule ids must be unique`,
          path: [where, index, "id"],
        });
      } else {
        seen.set(id, `${where}[${index}]`);
      }
    };
    doc.requestRules.forEach((r, i) => {
      check(r.id, "requestRules", i);
    });
    doc.responseRules.forEach((r, i) => {
      check(r.id, "responseRules", i);
    });
  });

/** A policy document with the defaults of §1 applied (except `defaultAction`, see below). */
export type PolicyDocument = z.output<typeof PolicyDocumentSchema>;
/** A policy document as stored / submitted (defaults may be omitted). */
export type PolicyDocumentInput = z.input<typeof PolicyDocumentSchema>;

/**
 * The effective default action: `defaultAction` when present, else derived from `defaultMode`
 * (read_only → allow GET/HEAD/OPTIONS and deny the rest; read_write → allow; custom → deny).
 * `method` is absent for Model A (no request), for which read_only fails closed (deny).
 */
export function effectiveDefaultAction(
  doc: Pick<PolicyDocument, "defaultMode" | "defaultAction">,
  method?: string,
) {
  if (doc.defaultAction) return doc.defaultAction;
  switch (doc.defaultMode) {
    case "read_write":
      return "allow" as const;
    case "custom":
      return "deny" as const;
    case "read_only": {
      const m = method?.toUpperCase();
      return m === "GET" || m === "HEAD" || m === "OPTIONS" ? ("allow" as const) : ("deny" as const);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Engine output
// ---------------------------------------------------------------------------------------------

export const POLICY_DECISION_CODES = [
  "MODEL_NOT_ALLOWED",
  "SCOPE_NOT_GRANTED",
  "INVALID_URL",
  "INVALID_REQUEST",
  "SSRF_BLOCKED",
  "HOST_NOT_ALLOWLISTED",
  "PATH_NOT_ALLOWLISTED",
  "METHOD_NOT_ALLOWED_BY_POLICY",
  "PAYLOAD_TOO_LARGE",
  "OUTSIDE_TIME_WINDOW",
  "POLICY_DENIED",
  "APPROVAL_REQUIRED",
  "RATE_LIMITED",
  "BUDGET_EXCEEDED",
] as const;
export const PolicyDecisionCodeSchema = z.enum(POLICY_DECISION_CODES);
export type PolicyDecisionCode = z.infer<typeof PolicyDecisionCodeSchema>;

export const ShadowMatchSchema = z.object({ ruleId: z.string(), wouldBe: PolicyActionSchema });
export type ShadowMatch = z.infer<typeof ShadowMatchSchema>;

/**
 * `evaluateRequest` output (POLICY.md §3). `code` is set on every deny (and is `APPROVAL_REQUIRED`
 * on require_approval); `ruleId` only when a request rule decided. `url` is the final normalised
 * URL (what the provider call must use), present once it could be built.
 */
export const PolicyDecisionSchema = z.object({
  decision: PolicyActionSchema,
  code: PolicyDecisionCodeSchema.optional(),
  ruleId: z.string().optional(),
  reason: z.string(),
  hint: z.string().optional(),
  shadow: z.array(ShadowMatchSchema),
  url: z.string().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  nextWindowAt: z.string().optional(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

export const RedactionSchema = z.object({ path: z.string(), type: PiiTypeSchema });
export type Redaction = z.infer<typeof RedactionSchema>;

/** `filterResponse` output (POLICY.md §4). When `blocked` is set, `body` is null: fail closed. */
export const FilterResultSchema = z.object({
  body: z.unknown(),
  redactions: z.array(RedactionSchema),
  blocked: z.object({ code: z.literal("RESPONSE_UNFILTERABLE") }).optional(),
  reason: z.string().optional(),
  appliedRuleIds: z.array(z.string()).optional(),
});
export type FilterResult = z.infer<typeof FilterResultSchema>;
