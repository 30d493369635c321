import type { PolicyDocumentInput } from "@agenthifive/contracts";

/** A preset the dashboard can apply when GET /v1/policy-templates is not available. */
export interface Preset {
  id: string;
  tier: "strict" | "standard" | "permissive";
  label: string;
  description: string;
  build: (origins: string[]) => PolicyDocumentInput;
}

const READ = ["GET", "HEAD"];
const ALL = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const allow = (origins: string[], methods: string[]) =>
  origins.map((origin) => ({ origin, paths: ["/**"], methods }));

export const BUILT_IN_PRESETS: Preset[] = [
  {
    id: "read-only",
    tier: "strict",
    label: "Read only",
    description: "The agent can read; every write is refused.",
    build: (o) => ({
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_only",
      allowlists: allow(o, READ),
    }),
  },
  {
    id: "ask-before-writing",
    tier: "standard",
    label: "Read, ask before writing",
    description:
      "Reads go through; creating or changing anything waits for your approval; deleting is refused.",
    build: (o) => ({
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_write",
      allowlists: allow(o, ALL),
      requestRules: [
        {
          id: "no-delete",
          label: "Never delete",
          match: { methods: ["DELETE"] },
          action: "deny",
          hint: "Deleting is not allowed by this policy.",
        },
        {
          id: "ask-writes",
          label: "Ask before writing",
          match: { methods: ["POST", "PUT", "PATCH"] },
          action: "require_approval",
        },
      ],
      responseRules: [{ id: "redact-pii", transform: { redactPii: { types: "all" } } }],
    }),
  },
  {
    id: "full-access",
    tier: "permissive",
    label: "Full access",
    description: "Everything the allowlist reaches, with a daily budget as a safety net.",
    build: (o) => ({
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_write",
      allowlists: allow(o, ALL),
      limits: { budget: { requestsPerDay: 1000 } },
    }),
  },
];
