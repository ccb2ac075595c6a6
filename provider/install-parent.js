/**
 * `pulumi package add <repo>/provider@<tag>` downloads the whole repository but installs dependencies in this folder
 * only, and the components in ../components import @pulumi/*, zod and the rest from the repository's node_modules.
 * This installs them there, exactly as the root package-lock.json pins them, when they are not installed yet (a
 * checkout where `npm ci` already ran is left alone). The plugin itself has no dependencies of its own, so one copy
 * of @pulumi/pulumi serves both the host and the components.
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.join(__dirname, "..");
if (!fs.existsSync(path.join(root, "node_modules", "@pulumi", "pulumi", "package.json"))) {
  // --ignore-scripts: the root's prepare script installs app/ and policy/, which the plugin does not use.
  execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
}
