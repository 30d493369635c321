import { type ProviderDefinition, resolveServiceScopes } from "@agenthifive/oauth-connectors";
import { AppError, notFound } from "../../lib/errors.js";

/**
 * The provider's connectable service and the scopes to ask for: the catalog defaults, or the
 * requested ones when every one is offered (API.md §3.2 `scopes ⊆ provider catalog`).
 */
export function serviceAndScopes(provider: ProviderDefinition, requested: string[] | undefined) {
  const service = provider.services[0];
  if (!service) throw notFound("Provider");
  const resolved = resolveServiceScopes(service, requested ?? service.defaultScopes);
  if (!resolved.ok) {
    throw new AppError("VALIDATION_FAILED", "Some scopes are not offered by this provider.", {
      details: {
        issues: [
          {
            path: "scopes",
            message: `not in the catalog: ${resolved.notAllowed.join(", ")}`,
            code: "invalid_value",
          },
        ],
      },
    });
  }
  return { service, scopes: resolved.scopes };
}
