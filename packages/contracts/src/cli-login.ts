import { z } from "zod";
import { PersonalAccessTokenSchema } from "./agents.js";
import { ScopeSchema } from "./scopes.js";

/**
 * `ah5 login` device-authorization flow (API.md §3.7 "CLI sign-in", RFC 8628 semantics): the CLI
 * starts a request, a signed-in person confirms the user code with a POST, the CLI polls once per
 * `interval` until it receives a personal access token (single use).
 */
export const CliLoginStartRequestSchema = z.strictObject({
  /** Shown to the person confirming and used as the PAT's name. */
  deviceName: z.string().trim().min(1).max(80).optional(),
});
export const CliLoginStartResponseSchema = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
  interval: z.number().int(),
  expiresIn: z.number().int(),
});
export type CliLoginStartResponse = z.infer<typeof CliLoginStartResponseSchema>;

/** User codes are 8 letters from an unambiguous alphabet, shown as `ABCD-EFGH`. */
export const CLI_USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const CliLoginApproveRequestSchema = z.strictObject({
  userCode: z.string().trim().min(8).max(9),
  scopes: z.array(ScopeSchema).min(1),
  /** 1–90 days; default 90. */
  expiresInDays: z.number().int().min(1).max(90).optional(),
});
export const CliLoginDenyRequestSchema = z.strictObject({ userCode: z.string().trim().min(8).max(9) });
/** What the person sees before confirming a code: which device asked, and when. */
export const CliLoginPendingQuerySchema = z.strictObject({ userCode: z.string().trim().min(8).max(9) });
export const CliLoginPendingResponseSchema = z.object({
  deviceName: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
});
export type CliLoginPending = z.infer<typeof CliLoginPendingResponseSchema>;
export const CliLoginDecisionResponseSchema = z.object({
  status: z.enum(["approved", "denied"]),
  deviceName: z.string(),
});

export const CliLoginPollRequestSchema = z.strictObject({ deviceCode: z.string().min(1).max(200) });
export const CliLoginPollResponseSchema = z.object({
  token: z.string(),
  pat: PersonalAccessTokenSchema,
});
export type CliLoginPollResponse = z.infer<typeof CliLoginPollResponseSchema>;

/** RFC 8628 §3.5 poll outcomes, as `code`s in the API error envelope (lower-case, as in the RFC). */
export const CLI_LOGIN_POLL_ERRORS = {
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  access_denied: 400,
} as const;
export type CliLoginPollError = keyof typeof CLI_LOGIN_POLL_ERRORS;
