import { listProviders } from "@agenthifive/oauth-connectors";

/** What the connect screen needs from the connector catalog (serialisable, no endpoints). */
export interface CatalogEntry {
  id: string;
  label: string;
  authTypes: string[];
  deviceFlow: boolean;
  extraFields: { name: string; label: string; required: boolean }[];
  services: { id: string; label: string; apiOrigins: string[] }[];
}

/** Server-only: read the catalog once and pass plain data to the client components. */
export function connectionCatalog(): CatalogEntry[] {
  const entries: CatalogEntry[] = listProviders().map((p) => ({
    id: p.id,
    label: p.label,
    authTypes: [...p.authTypes],
    deviceFlow: Boolean(p.capabilities.deviceFlow),
    extraFields: (p.extraFields ?? []).map((f) => ({
      name: f.name,
      label: f.label,
      required: Boolean(f.required),
    })),
    services: p.services.map((s) => ({ id: s.id, label: s.label, apiOrigins: [...(s.apiOrigins ?? [])] })),
  }));
  // The platform's own OpenID Connect provider (OAUTH_GENERIC_* in the API's config).
  if (!entries.some((e) => e.id === "generic")) {
    entries.push({
      id: "generic",
      label: "OpenID Connect (platform)",
      authTypes: ["oauth"],
      deviceFlow: false,
      extraFields: [],
      services: [],
    });
  }
  return entries;
}
