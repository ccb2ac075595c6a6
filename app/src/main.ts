import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { log } from "./logging.js";
import { createApp } from "./server.js";

// Node's default crash output is multi-line text that Cloud Logging would split
// into many entries without a severity; one CRITICAL JSON line is findable.
function die(message: string, error: unknown): never {
  log("CRITICAL", message, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

process.on("uncaughtException", (error) => die("uncaught exception", error));
process.on("unhandledRejection", (reason) => die("unhandled promise rejection", reason));

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  die(error instanceof ConfigError ? `invalid configuration: ${error.message}` : "could not load configuration", error);
}

const app = createApp(config, process.env);

app.server.on("error", (error) => die("server error", error));

// No host: Node binds "::" with dual-stack (IPv4 too) when the kernel has IPv6,
// and falls back to 0.0.0.0 when it does not, so every interface is covered.
app.server.listen(config.port, () => {
  const { port, address } = app.server.address() as AddressInfo;
  log("INFO", `listening on port ${port}`, { port, address });
});

// In a container Node is PID 1, which the kernel shields from signals that have
// no handler: without these, SIGTERM would be ignored until Cloud Run's SIGKILL.
function onSignal(signal: NodeJS.Signals): void {
  if (app.isDraining()) {
    log("INFO", `${signal} received again; still draining`);
    return;
  }
  const deadline = setTimeout(() => {
    log("ERROR", `connections still open ${config.shutdownDeadlineMs} ms after ${signal}; forcing exit`);
    app.server.closeAllConnections();
    process.exit(1);
  }, config.shutdownDeadlineMs);
  deadline.unref();

  void app.drain(`${signal} received`).then(() => {
    log("INFO", "all connections closed; exiting");
    process.exit(0);
  });
}

process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);
