/**
 * Lets `node --require ./tools/plan/ts-require.js x.ts` run the program's TypeScript, compiling each
 * .ts file with esbuild (types are checked by `npm run typecheck`, not here). Unlike tsx's loader, it
 * leaves the resolution of every other file alone: Pulumi's SDK loads about a thousand JavaScript files,
 * and hooking their resolution made `npm run plan` about 0.3 s slower (see `npm run bench`).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script */
const fs = require("node:fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    sourcefile: filename,
  });
  module._compile(code, filename);
};
