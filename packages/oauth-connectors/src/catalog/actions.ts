/**
 * What an agent can ask to do with a service, in words a person approves ("Send mail"), and the
 * HTTP surface it means (methods × path patterns of POLICY.md §2 on the service's origins).
 * Policy presets and permission requests are built from these; the ids are stable API values.
 */
export interface ActionTemplate {
  /** `<service>.<verb>`, e.g. `google-gmail.send`. */
  id: string;
  serviceId: string;
  label: string;
  description: string;
  /** read: no side effects; write: creates or changes data; delete: destroys data. */
  kind: "read" | "write" | "delete";
  methods: readonly string[];
  paths: readonly string[];
}

type ActionSpec = Omit<ActionTemplate, "id" | "serviceId"> & { verb: string };

const READ = ["GET", "HEAD"] as const;
const WRITE = ["POST", "PUT", "PATCH"] as const;

const spec = (
  verb: string,
  kind: ActionSpec["kind"],
  label: string,
  description: string,
  methods: readonly string[],
  paths: readonly string[],
): ActionSpec => ({ verb, kind, label, description, methods, paths });

/** Hand-written actions for the services people delegate most; others get the generic three. */
const SPECIFIC: Record<string, readonly ActionSpec[]> = {
  "google-gmail": [
    spec("read", "read", "Read mail", "List and read messages, threads and labels.", READ, [
      "/gmail/v1/users/me/**",
    ]),
    spec("draft", "write", "Write drafts", "Create and update drafts without sending.", WRITE, [
      "/gmail/v1/users/me/drafts",
      "/gmail/v1/users/me/drafts/*",
    ]),
    spec(
      "send",
      "write",
      "Send mail",
      "Send messages and drafts on your behalf.",
      ["POST"],
      ["/gmail/v1/users/me/messages/send", "/gmail/v1/users/me/drafts/send"],
    ),
    spec(
      "delete",
      "delete",
      "Delete mail",
      "Delete messages and threads permanently.",
      ["DELETE"],
      ["/gmail/v1/users/me/messages/*", "/gmail/v1/users/me/threads/*"],
    ),
  ],
  "google-calendar": [
    spec("read", "read", "Read calendars", "List calendars, events and free/busy.", READ, [
      "/calendar/v3/**",
    ]),
    spec("write", "write", "Create and edit events", "Book meetings and change events.", WRITE, [
      "/calendar/v3/calendars/*/events",
      "/calendar/v3/calendars/*/events/*",
    ]),
    spec(
      "delete",
      "delete",
      "Delete events",
      "Cancel and delete events.",
      ["DELETE"],
      ["/calendar/v3/calendars/*/events/*"],
    ),
  ],
  "google-drive": [
    spec("read", "read", "Read files", "List, search and download files.", READ, ["/drive/v3/**"]),
    spec("write", "write", "Create and edit files", "Upload and change files.", WRITE, [
      "/drive/v3/files",
      "/drive/v3/files/*",
      "/upload/drive/v3/files",
      "/upload/drive/v3/files/*",
    ]),
    spec("delete", "delete", "Delete files", "Delete files permanently.", ["DELETE"], ["/drive/v3/files/*"]),
  ],
  "slack-workspace": [
    spec(
      "read",
      "read",
      "Read channels",
      "Read channels, messages and users.",
      ["GET", "POST"],
      [
        "/api/conversations.list",
        "/api/conversations.history",
        "/api/conversations.replies",
        "/api/conversations.info",
        "/api/users.list",
        "/api/users.info",
      ],
    ),
    spec(
      "post",
      "write",
      "Post messages",
      "Post and update messages.",
      ["POST"],
      ["/api/chat.postMessage", "/api/chat.update", "/api/reactions.add"],
    ),
    spec("delete", "delete", "Delete messages", "Delete messages.", ["POST"], ["/api/chat.delete"]),
  ],
  "github-repos": [
    spec("read", "read", "Read repositories", "Read code, issues and pull requests.", READ, ["/**"]),
    spec("write", "write", "Open issues and pull requests", "Create and comment on issues and PRs.", WRITE, [
      "/repos/*/*/issues",
      "/repos/*/*/issues/**",
      "/repos/*/*/pulls",
      "/repos/*/*/pulls/**",
    ]),
    spec("delete", "delete", "Delete", "Delete comments, branches and releases.", ["DELETE"], ["/repos/**"]),
  ],
};

const GENERIC: readonly ActionSpec[] = [
  spec("read", "read", "Read", "Read data (GET and HEAD requests).", READ, ["/**"]),
  spec("write", "write", "Create and change", "Create and change data (POST, PUT, PATCH).", WRITE, ["/**"]),
  spec("delete", "delete", "Delete", "Delete data (DELETE requests).", ["DELETE"], ["/**"]),
];

/**
 * The action templates of a service: hand-written ones for the best-known services, the generic
 * read / write / delete otherwise (also for runtime providers). Callers check the service exists.
 */
export function listActionTemplates(serviceId: string): ActionTemplate[] {
  return (SPECIFIC[serviceId] ?? GENERIC).map(({ verb, ...rest }) => ({
    id: `${serviceId}.${verb}`,
    serviceId,
    ...rest,
  }));
}

/** Resolves `google-gmail.send` to its template, or undefined. */
export function getActionTemplate(id: string): ActionTemplate | undefined {
  const dot = id.lastIndexOf(".");
  if (dot <= 0) return undefined;
  return listActionTemplates(id.slice(0, dot)).find((a) => a.id === id);
}
