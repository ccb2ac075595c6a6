import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { readStackConfig } from "../../tools/plan/stack-file";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A project directory with Pulumi.yaml and the given stack files. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-stack-file-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: runway\nruntime: nodejs\n");
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const SHAPE = "a mapping of namespace:key to value, e.g. `runway:target: cloudrun`";

describe("readStackConfig", () => {
  it("flattens config into the namespace:key → text map Pulumi hands a program", () => {
    const dir = project({
      "Pulumi.dev.yaml": 'config:\n  runway:target: gke\n  runway:load:\n    avgRequestSeconds: "0.5"\n',
    });
    assert.deepEqual(readStackConfig(dir, "dev"), {
      "runway:target": "gke",
      "runway:load": '{"avgRequestSeconds":"0.5"}',
    });
    assert.deepEqual(readStackConfig(project({ "Pulumi.empty.yaml": "" }), "empty"), {});
  });

  it("names the file and the line of malformed YAML", () => {
    const dir = project({ "Pulumi.dev.yaml": "config:\n  runway:service: [1\n  gcp:region: x\n" });
    const file = path.join(dir, "Pulumi.dev.yaml");
    assert.throws(() => readStackConfig(dir, "dev"), {
      message: `${file}: not valid YAML at line 3, column 3: missed comma between flow collection entries`,
    });
  });

  it("says what shape config: must have when it is a list or a scalar", () => {
    const dir = project({
      "Pulumi.list.yaml": "config:\n  - runway:target: gke\n",
      "Pulumi.scalar.yaml": "config: runway:target=gke\n",
      "Pulumi.top.yaml": "- config\n",
    });
    assert.throws(() => readStackConfig(dir, "list"), {
      message: `${path.join(dir, "Pulumi.list.yaml")}: config: must be ${SHAPE}; got a list`,
    });
    assert.throws(() => readStackConfig(dir, "scalar"), {
      message: `${path.join(dir, "Pulumi.scalar.yaml")}: config: must be ${SHAPE}; got the string "runway:target=gke"`,
    });
    assert.throws(() => readStackConfig(dir, "top"), {
      message: `${path.join(dir, "Pulumi.top.yaml")}: expected a mapping with a config: key holding ${SHAPE}; got a list`,
    });
  });

  it("lists the stacks that exist when the stack file is missing", () => {
    const dir = project({ "Pulumi.prod.yaml": "config: {}\n", "Pulumi.dev.yaml": "config: {}\n", "notes.yaml": "" });
    assert.throws(() => readStackConfig(dir, "staging"), {
      message: `${path.join(dir, "Pulumi.staging.yaml")}: no such stack file; the stacks here are dev, prod (pulumi stack init NAME creates one)`,
    });
    const empty = project({});
    assert.throws(() => readStackConfig(empty, "dev"), {
      message: `${path.join(empty, "Pulumi.dev.yaml")}: no such stack file; there are no stacks here (pulumi stack init NAME creates one)`,
    });
  });
});
