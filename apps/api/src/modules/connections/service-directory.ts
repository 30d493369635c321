import {
  listProviders,
  type ProviderDefinition,
  type ServiceDefinition,
} from "@agenthifive/oauth-connectors";
import type { ExtraOAuthProvider } from "./oauth-clients.js";

export interface ServiceRef {
  provider: ProviderDefinition;
  service: ServiceDefinition;
}

/**
 * Every service this deployment knows: the built-in catalog plus providers defined at runtime
 * (the generic OIDC provider, tests). Presets, capabilities and permission requests look here.
 */
export function createServiceDirectory(extra: readonly ExtraOAuthProvider[] = []) {
  const byId = new Map<string, ServiceRef>();
  for (const provider of [...listProviders(), ...extra.map((e) => e.provider)]) {
    for (const service of provider.services) byId.set(service.id, { provider, service });
  }
  return {
    get: (serviceId: string) => byId.get(serviceId),
    list: () => [...byId.values()],
    /** The API origins a connection's credential opens: the catalog's, or a generic key's own. */
    originsOf(connection: { service: string; metadata: Record<string, unknown> }): string[] {
      const ref = byId.get(connection.service);
      if (!ref) return [];
      if (ref.provider.customOrigin) {
        const origin = connection.metadata.origin;
        return typeof origin === "string" ? [origin] : [];
      }
      return [...ref.service.apiOrigins];
    },
  };
}
export type ServiceDirectory = ReturnType<typeof createServiceDirectory>;
