export { ConfigError, loadConfig, type McpConfig, USAGE } from "./config.js";
export { downloadFile } from "./download.js";
export { approvalRequired, failure, ok } from "./results.js";
export {
  assertSafeFileName,
  createConfinedFile,
  sanitizeFileName,
  UnsafeFileNameError,
} from "./safe-path.js";
export { clientFromConfig, createMcpServer, SERVER_INFO, serveHttp, serveStdio } from "./server.js";
export { registerTools, type ToolContext } from "./tools.js";
