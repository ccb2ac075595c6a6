/**
 * The template survives its first edit: a copy of the program made the way `pulumi new <this repo>` makes one
 * (project renamed in Pulumi.yaml, its `template:` section removed, the prompted gcp:project, gcp:region and
 * runway:serviceName written into Pulumi.dev.yaml) and then edited the way its owner would first edit it (the service
 * renamed and a project given in Pulumi.prod.yaml too) still passes the program and policy tests its CI runs. The
 * copy shares this repository's node_modules through symlinks; nothing is installed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..", "..");

/** What a copy needs to run its program tests: the program, its tools and tests, the app's Dockerfile, the README. */
const COPIED = [
  "Pulumi.yaml",
  "Pulumi.dev.yaml",
  "Pulumi.prod.yaml",
  "index.ts",
  "package.json",
  "tsconfig.json",
  "README.md",
  "app",
  "components",
  "policy",
  "schema",
  "test",
  "tools",
];
/** Installed dependencies, linked rather than copied. */
const LINKED = ["node_modules", "policy/node_modules"];
/** The tests that build expectations from the stack files' names (the rest of test/program/ reads none). */
const TESTS = [
  "test/program/cloudrun.test.ts",
  "test/program/gke.test.ts",
  "test/program/names.test.ts",
  "test/program/golden.test.ts",
  "test/policy/guardrails.test.ts",
];

const PROJECT = "ml-serving";
const SERVICE = "inference-api";

/** A stack file's document with `edit` applied to its config (comments are lost, as when Pulumi rewrites it). */
function editStackFile(dir: string, stack: string, edit: (config: Record<string, unknown>) => void): void {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const document = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  edit(document.config);
  fs.writeFileSync(file, yaml.dump(document));
}

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _parent, ...rest } = env;
  return rest;
}

function templateCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-template-"));
  const skip = new Set(LINKED.map((entry) => path.join(ROOT, entry)));
  for (const entry of COPIED) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !skip.has(source) && path.basename(source) !== "node_modules",
    });
  }
  for (const entry of LINKED) fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry), "dir");

  // `pulumi new`: the project takes the name given, loses its template section (pulumi/pulumi
  // pkg/cmd/pulumi/newcmd/new.go: proj.Name = …, proj.Template = nil) and the prompted keys land in the stack file.
  const projectFile = path.join(dir, "Pulumi.yaml");
  const project = yaml.load(fs.readFileSync(projectFile, "utf8")) as Record<string, unknown>;
  delete project.template;
  fs.writeFileSync(projectFile, yaml.dump({ ...project, name: PROJECT }));
  editStackFile(dir, "dev", (config) => {
    config["gcp:project"] = "ml-serving-dev";
    config["gcp:region"] = "europe-west4";
    config["runway:serviceName"] = SERVICE;
  });
  // The first edit: prod gets the same name and its own project.
  editStackFile(dir, "prod", (config) => {
    config["gcp:project"] = "ml-serving-prod";
    config["runway:serviceName"] = SERVICE;
  });
  return dir;
}

describe("a project made from the template, renamed", { timeout: 300_000 }, () => {
  const dir = templateCopy();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`passes its program and policy tests with project ${PROJECT} and service ${SERVICE}`, () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--test", "--test-concurrency=3", "--test-reporter=tap", ...TESTS],
      // Without NODE_TEST_CONTEXT, which would make the child skip its files as a nested run of this one.
      { cwd: dir, encoding: "utf8", env: { ...withoutTestContext(process.env), UPDATE_GOLDEN: "" } },
    );
    const report = `${run.stdout}\n${run.stderr}`;
    assert.equal(
      run.status,
      0,
      report
        .split("\n")
        .filter((line) => /not ok|Error|expected|actual/.test(line))
        .join("\n"),
    );
    assert.match(report, /^# fail 0$/m);
    assert.match(report, /^# pass [1-9]\d*$/m);
    // The renamed stack files are not the config the goldens were recorded from: that check is skipped, and says why.
    assert.match(report, /# SKIP Pulumi\.dev\.yaml differs from the config test\/golden\/dev\.json was recorded from/);
    // The names really changed: nothing in the copy's stack files still says echo or acme.
    for (const stack of ["dev", "prod"]) {
      assert.doesNotMatch(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"), /\becho\b|acme/);
    }
  });
});
