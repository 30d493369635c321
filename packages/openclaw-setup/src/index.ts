export { fileMode, readBytes, writeAtomic } from "./files.js";
export {
  applySetup,
  type JsonObject,
  PLUGIN_ID,
  type PluginSettings,
  parseConfig,
  pluginEntry,
  serializeConfig,
} from "./openclaw-config.js";
export { resolvePaths, type SetupPaths } from "./paths.js";
export {
  type Check,
  defaultPluginPath,
  type InstallResult,
  install,
  remove,
  SetupError,
  type SetupOptions,
  verify,
} from "./setup.js";
export { readSetupState, type SetupState } from "./state.js";
export { answerSecretRequest } from "./token.js";
