import { getProvider, verifyApiKey } from "@agenthifive/oauth-connectors";
import { AppError } from "../../lib/errors.js";
import type { ApiKeyVerifier } from "./credential.js";

/**
 * Verifies a pasted API key or bot token with the provider's cheap check from the connector
 * catalog, through the SSRF-guarded client, before anything is stored (API.md §3.2).
 */
export function createApiKeyVerifier(
  fetchImpl: typeof fetch,
  devAllowHosts: readonly string[] = [],
): ApiKeyVerifier {
  return async (input) => {
    const provider = getProvider(input.provider);
    const authType = provider?.authTypes.includes("bot_token") ? "bot_token" : "api_key";
    if (!provider || !(provider.authTypes.includes("api_key") || provider.authTypes.includes("bot_token"))) {
      throw new AppError("NOT_FOUND", "Unknown API-key provider.", {
        hint: "See GET /v1/oauth-apps for the catalog.",
      });
    }
    const service = input.service ?? provider.services[0]?.id;
    if (!service || !provider.services.some((s) => s.id === service)) {
      throw new AppError("VALIDATION_FAILED", "Unknown service for this provider.", {
        details: {
          issues: [{ path: "service", message: "not in the provider catalog", code: "invalid_value" }],
        },
      });
    }
    for (const field of provider.extraFields) {
      if (field.required && !input.extra?.[field.name]) {
        throw new AppError("VALIDATION_FAILED", `extra.${field.name} is required for this provider.`, {
          details: { issues: [{ path: `extra.${field.name}`, message: "required", code: "required" }] },
        });
      }
    }
    const origin = input.extra?.origin;
    if (
      provider.customOrigin &&
      origin?.startsWith("http://") &&
      devAllowHosts.includes(new URL(origin).host)
    ) {
      // A local development upstream (VAULT_DEV_ALLOW_HOSTS): nothing to verify against.
      return { authType, service, providerLabel: provider.label, accountLabel: new URL(origin).host };
    }
    const result = await verifyApiKey({
      provider: input.provider,
      secret: input.secret,
      extra: input.extra,
      fetch: fetchImpl,
    });
    if (!result.ok) {
      if (result.code === "PROVIDER_UNAVAILABLE") {
        throw new AppError("PROVIDER_UNAVAILABLE", "The provider could not be reached to check the key.", {
          headers: { "retry-after": "10" },
        });
      }
      throw new AppError("API_KEY_REJECTED", "The provider rejected this key.", {
        hint: "Check that the key is complete and active, then paste it again.",
        details: { providerStatus: result.status ?? null },
      });
    }
    return {
      authType,
      service,
      providerLabel: provider.label,
      accountId: result.accountId ?? undefined,
      accountLabel: result.label,
    };
  };
}
