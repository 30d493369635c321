import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("MCP server configuration (flags or environment)", () => {
  it("reads the environment, and flags win over it", () => {
    const env = {
      AH5_API_URL: "https://api.example.com",
      AH5_AGENT_KEY_FILE: "/keys/env.json",
      AH5_BOOTSTRAP_SECRET: "ah5b_env",
      AH5_DOWNLOAD_DIR: "/downloads",
    };
    expect(loadConfig([], env)).toMatchObject({
      apiUrl: "https://api.example.com",
      keyFile: "/keys/env.json",
      bootstrapSecret: "ah5b_env",
      downloadDir: "/downloads",
      transport: "stdio",
      host: "127.0.0.1",
    });
    expect(
      loadConfig(["--key-file", "/keys/flag.json", "--transport", "http", "--port", "0"], env),
    ).toMatchObject({
      keyFile: "/keys/flag.json",
      transport: "http",
      port: 0,
    });
  });

  it("defaults the key file to the XDG config directory", () => {
    expect(loadConfig([], { XDG_CONFIG_HOME: "/cfg" })).toMatchObject({
      keyFile: "/cfg/agenthifive/agent-key.json",
      bootstrapSecret: undefined,
    });
  });

  it("refuses bad values and unknown flags", () => {
    expect(() => loadConfig(["--transport", "websocket"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--api-url", "not a url"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--port", "70000"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--bogus"], {})).toThrow();
    expect(loadConfig(["--help"], {})).toBe("help");
  });
});
