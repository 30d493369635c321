/**
 * The part of OpenClaw's plugin API (`openclaw/plugin-sdk/plugin-entry`, 2026.9) this plugin
 * uses, typed locally so the package builds without installing OpenClaw (which needs Node 24).
 * Field names follow OpenClaw's `OpenClawPluginApi`; the loader test checks them against the
 * real loader.
 */
export interface PluginLogger {
  debug?: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface ToolResult {
  content: Array<{ type: "text"; text: string }>;
  /** Structured result for programmatic callers (Code Mode, /tools/invoke). */
  details: Record<string, unknown>;
}

export interface AgentTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  execute: (toolCallId: string, params: Record<string, unknown>, signal?: AbortSignal) => Promise<ToolResult>;
}

export interface PluginService {
  id: string;
  start: (ctx: { logger?: PluginLogger; stateDir?: string }) => void | Promise<void>;
  stop?: (ctx: unknown) => void | Promise<void>;
}

export interface PromptBuildResult {
  appendSystemContext?: string;
  prependContext?: string;
}

export interface OpenClawPluginApi {
  id: string;
  pluginConfig?: Record<string, unknown> | undefined;
  logger: PluginLogger;
  registerTool: (tool: AgentTool, opts?: { name?: string; optional?: boolean }) => void;
  registerService?: (service: PluginService) => void;
  resolvePath?: (input: string) => string;
  on: (
    hookName: "before_prompt_build",
    handler: (event: unknown, ctx: unknown) => Promise<PromptBuildResult | undefined>,
    opts?: Record<string, unknown>,
  ) => void;
}

export interface OpenClawPluginDefinition {
  id: string;
  name: string;
  description: string;
  register: (api: OpenClawPluginApi) => void;
}
