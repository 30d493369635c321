export { cliLoginRoutes } from "./cli-login.routes.js";
export {
  CLI_LOGIN_INTERVAL_SECONDS,
  CLI_LOGIN_TTL_SECONDS,
  type CliLoginService,
  createCliLoginService,
} from "./cli-login.service.js";
