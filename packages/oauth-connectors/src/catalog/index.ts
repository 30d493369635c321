import {
  anthropic,
  gemini,
  genericApiKey,
  openai,
  openrouter,
  telegram,
  trello,
} from "./providers/api-keys.js";
import { atlassian, github, notion, slack } from "./providers/collaboration.js";
import { google } from "./providers/google.js";
import { microsoft } from "./providers/microsoft.js";
import { type ProviderDefinition, ProviderDefinitionSchema, type ServiceDefinition } from "./schema.js";

const ENTRIES = [
  google,
  microsoft,
  slack,
  notion,
  github,
  atlassian,
  trello,
  openai,
  anthropic,
  gemini,
  openrouter,
  telegram,
  genericApiKey,
];

/**
 * Parsed once at module load: a catalog entry that breaks a rule fails the import (and so every
 * test and the API's start), naming the provider and the path, never at the first user click.
 */
function loadCatalog(): ReadonlyMap<string, ProviderDefinition> {
  const providers = new Map<string, ProviderDefinition>();
  for (const entry of ENTRIES) {
    const parsed = ProviderDefinitionSchema.safeParse(entry);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`provider catalog entry "${entry.id}" is invalid: ${where}`);
    }
    if (providers.has(parsed.data.id)) throw new Error(`duplicate provider id "${parsed.data.id}"`);
    providers.set(parsed.data.id, deepFreeze(parsed.data));
  }
  return providers;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const CATALOG = loadCatalog();
const SERVICES = new Map<string, { provider: ProviderDefinition; service: ServiceDefinition }>();
for (const provider of CATALOG.values()) {
  for (const service of provider.services) {
    if (SERVICES.has(service.id)) throw new Error(`duplicate service id "${service.id}"`);
    SERVICES.set(service.id, { provider, service });
  }
}

/** The built-in provider with this id (frozen), or undefined. */
export function getProvider(id: string): ProviderDefinition | undefined {
  return CATALOG.get(id);
}

/** Every built-in provider, in catalog order. */
export function listProviders(): ProviderDefinition[] {
  return [...CATALOG.values()];
}

/** A service by its id (`google-gmail`) with the provider that owns it, or undefined. */
export function getService(
  id: string,
): { provider: ProviderDefinition; service: ServiceDefinition } | undefined {
  return SERVICES.get(id);
}

/**
 * The scopes to request for a service: the service defaults when none are asked for, else the
 * asked ones, which must all be allowed (API.md: `scopes ⊆ provider catalog`). Provider base
 * scopes (openid, offline_access…) are added by the connector, not here.
 */
export function resolveServiceScopes(
  service: ServiceDefinition,
  requested?: readonly string[],
): { ok: true; scopes: string[] } | { ok: false; notAllowed: string[] } {
  if (!requested || requested.length === 0) return { ok: true, scopes: [...service.defaultScopes] };
  const allowed = new Set(service.allowedScopes);
  const notAllowed = requested.filter((scope) => !allowed.has(scope));
  return notAllowed.length > 0 ? { ok: false, notAllowed } : { ok: true, scopes: [...new Set(requested)] };
}
