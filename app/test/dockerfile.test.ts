import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { APP_DIR, parseJsonObject, request, ServerProcess } from "./helpers.js";

// There is no container engine where these tests run, so the image is never
// built here. These are static checks of the Dockerfile's text plus a run of
// the exact files the runtime stage copies; they cannot prove the image builds.

interface Instruction {
  keyword: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  return logical
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

const instructions = parseDockerfile(await readFile(join(APP_DIR, "Dockerfile"), "utf8"));
const globalArgs = new Map(
  instructions
    .slice(
      0,
      instructions.findIndex((i) => i.keyword === "FROM"),
    )
    .filter((i) => i.keyword === "ARG")
    .map((i) => i.args.split("=") as [string, string]),
);
const stages: { from: string; name: string | undefined; body: Instruction[] }[] = [];
for (const instruction of instructions) {
  if (instruction.keyword === "FROM") {
    const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith("--platform"));
    const image = (words[0] ?? "").replace(/\$\{(\w+)\}/g, (_, name: string) => globalArgs.get(name) ?? "");
    stages.push({ from: image, name: words[2], body: [] });
  } else {
    stages.at(-1)?.body.push(instruction);
  }
}
const build = stages[0]!;
const runtime = stages.at(-1)!;
const runs = (stage: typeof build) => stage.body.filter((i) => i.keyword === "RUN").map((i) => i.args);

describe("Dockerfile (static checks; the image is not built here)", () => {
  test("is multi-stage: a node:22 build stage and a separate runtime stage", () => {
    assert.ok(stages.length >= 2, "at least two FROM lines");
    assert.match(build.from, /^node:22\.\d+\.\d+-/);
    assert.equal(build.name, "build");
    assert.notEqual(runtime, build);
  });

  test("base images are pinned to a version tag, never latest or untagged", () => {
    for (const { from } of stages) {
      assert.match(from, /^[\w./-]+:[\w.-]+(@sha256:[0-9a-f]{64})?$/, from);
      assert.doesNotMatch(from, /:latest\b/, from);
    }
    assert.match(runtime.from, /^gcr\.io\/distroless\/nodejs22-debian13:nonroot(@sha256:[0-9a-f]{64})?$/);
  });

  test("both stages are Debian 13: debian12 distroless gets no patched rebuilds from 2026-09-01", () => {
    assert.match(runtime.from, /-debian13:/, runtime.from);
    assert.match(build.from, /-trixie(-slim)?(@sha256:[0-9a-f]{64})?$/, build.from);
    for (const { from } of stages) assert.doesNotMatch(from, /debian12|bookworm/, from);
  });

  test("the build stage installs from the lockfile, compiles, then prunes to production dependencies", () => {
    const steps = runs(build).join(" && ");
    const ci = steps.indexOf("npm ci --ignore-scripts");
    const compile = steps.indexOf("npm run build");
    const prune = steps.indexOf("npm ci --omit=dev");
    assert.ok(ci !== -1 && compile > ci && prune > compile, steps);
  });

  test("the runtime stage runs nothing and copies only package.json, node_modules and dist from the build", () => {
    assert.deepEqual(runs(runtime), []);
    const copies = runtime.body.filter((i) => i.keyword === "COPY" || i.keyword === "ADD").map((i) => i.args);
    assert.deepEqual(copies, [
      "--from=build /app/package.json ./package.json",
      "--from=build /app/node_modules ./node_modules",
      "--from=build /app/dist ./dist",
    ]);
  });

  test("runs as a numeric non-root user", () => {
    const users = runtime.body.filter((i) => i.keyword === "USER").map((i) => i.args);
    assert.equal(users.length, 1);
    const [uid] = users[0]!.split(":");
    assert.match(uid!, /^\d+$/);
    assert.notEqual(Number(uid), 0);
  });

  test("starts node directly with an exec-form ENTRYPOINT on the compiled main", () => {
    const entrypoints = runtime.body.filter((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD");
    assert.equal(entrypoints.length, 1);
    assert.deepEqual(JSON.parse(entrypoints[0]!.args), ["/nodejs/bin/node", "dist/main.js"]);
  });

  test("every file the build stage copies from the context exists and is not dockerignored", async () => {
    const ignored = (await readFile(join(APP_DIR, ".dockerignore"), "utf8"))
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const name of ["node_modules", "dist", "test", "bench"])
      assert.ok(ignored.includes(name), `${name} is dockerignored`);
    const sources = build.body
      .filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    assert.ok(sources.length > 0);
    for (const source of sources) {
      await stat(join(APP_DIR, source));
      assert.equal(ignored.includes(source), false, `${source} is dockerignored`);
    }
  });
});

describe("the runtime stage file set, run with plain node", () => {
  test("package.json + dist + production node_modules is enough to serve", async () => {
    const pkg = parseJsonObject(await readFile(join(APP_DIR, "package.json"), "utf8"));
    // The production install is empty today; if dependencies appear this test
    // must install them into the copy too.
    assert.deepEqual(pkg.dependencies ?? {}, {});

    const dir = await mkdtemp(join(tmpdir(), "runway-image-"));
    try {
      await cp(join(APP_DIR, "package.json"), join(dir, "package.json"));
      await cp(join(APP_DIR, "dist"), join(dir, "dist"), { recursive: true });
      await mkdir(join(dir, "node_modules"));
      const server = await ServerProcess.start({
        main: join(dir, "dist", "main.js"),
        cwd: dir,
        env: { NODE_ENV: "production" },
      });
      const res = await request(server.port, { path: "/?image=layout" });
      assert.equal(res.status, 200);
      assert.equal(res.body, "image=layout\n");
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
