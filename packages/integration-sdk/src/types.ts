import type { Approval, VaultExecuteRequest, VaultModelAResult, VaultModelBResult } from "@agenthifive/sdk";

/** A brokered request as the runtime hands it over (Model B; Model A for a short-lived token). */
export type ActionRequest = VaultExecuteRequest;

/** The answer a tool gives back: done, paused on a person, or refused for good. */
export type ActionOutcome = CompletedAction | PendingAction | DeclinedAction;

export interface CompletedAction {
  status: "completed";
  result: VaultModelAResult | VaultModelBResult;
  /** Set when this completion redeemed an approval. */
  approvalId?: string | undefined;
}

/**
 * The request needs a person's approval (HTTP 202). Nothing ran. Resume it with
 * `VaultActionProxy.resume(approvalId)` once approved; the proxy resends the identical request.
 */
export interface PendingAction {
  status: "pending_approval";
  approvalId: string;
  expiresAt: string;
  reason: string;
  /** What the caller (or the model) should do next. */
  hint: string;
}

/** The approval ended without running the request: denied, expired, or already used. */
export interface DeclinedAction {
  status: "denied" | "expired" | "consumed";
  approvalId: string;
  hint: string;
}

export type ApprovalStatus = Approval["status"];

/** A credential the runtime can use for a model or service call. */
export interface ResolvedCredential {
  /**
   * `vault`: route the call through the vault (LLM proxy base URL + agent token, or a Model A
   * token); `local`: a fallback from local configuration.
   */
  source: "vault" | "local";
  provider: string;
  /** Where to send the call; for `vault` LLM credentials, the vault's LLM proxy path. */
  baseUrl?: string | undefined;
  /** The bearer value: the agent access token (vault) or the local key (fallback). */
  apiKey: string;
  /** Extra headers, e.g. `x-ah5-connection-id` when several connections serve the provider. */
  headers?: Record<string, string> | undefined;
  /** When the credential stops working (ISO 8601); renew before. */
  expiresAt?: string | undefined;
  connectionId?: string | undefined;
}

/** One link of the local fallback chain: returns a key or undefined to pass on. */
export type CredentialFallback = (
  provider: string,
) =>
  | Promise<Omit<ResolvedCredential, "source" | "provider"> | undefined>
  | Omit<ResolvedCredential, "source" | "provider">
  | undefined;
