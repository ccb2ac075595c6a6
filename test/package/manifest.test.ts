/**
 * The package's manifest agrees with itself, the build and the example, without packing anything
 * (tools/pack-check.ts, `npm run test:package`, checks the tarball itself).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..", "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, never>;

interface Manifest {
  name: string;
  version: string;
  main: string;
  types: string;
  exports: Record<string, { types: string; default: string } | string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}
const manifest = readJson("package.json") as unknown as Manifest;
const build = readJson("tsconfig.build.json") as unknown as {
  compilerOptions: { rootDir: string; outDir: string; declaration: boolean; module?: string };
};

describe("the package manifest", () => {
  it("points main, types and exports at the build of components/index.ts", () => {
    const { rootDir, outDir } = build.compilerOptions;
    assert.equal(rootDir, "components");
    const entry = (ext: string) => `${outDir}/index.${ext}`;
    assert.equal(manifest.main, entry("js"));
    assert.equal(manifest.types, entry("d.ts"));
    assert.deepEqual(manifest.exports["."], { types: `./${entry("d.ts")}`, default: `./${entry("js")}` });
    assert.ok(fs.existsSync(path.join(ROOT, rootDir, "index.ts")));
    assert.equal(build.compilerOptions.declaration, true);
  });

  it("builds CommonJS, which Pulumi's Node runtime and CommonJS programs can require", () => {
    const base = readJson("tsconfig.json") as unknown as { compilerOptions: { module: string } };
    assert.equal(build.compilerOptions.module ?? base.compilerOptions.module, "commonjs");
  });

  it("leaves the program to Pulumi.yaml's main, since package.json's main is the library", () => {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string };
    assert.equal(project.main, "index.ts");
    assert.ok(fs.existsSync(path.join(ROOT, "index.ts")));
  });

  it("has each @pulumi/* package as a caret peer from the version this repository pins and tests", () => {
    const peers = Object.keys(manifest.peerDependencies).sort();
    assert.deepEqual(peers, ["@pulumi/docker", "@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/pulumi"]);
    for (const name of peers) {
      assert.equal(manifest.peerDependencies[name], `^${manifest.devDependencies[name]}`, name);
      assert.equal(manifest.dependencies[name], undefined, `${name} is no dependency: one copy, the program's`);
    }
  });

  it("builds before packing and runs no install script where it is installed", () => {
    assert.equal(manifest.scripts.prepack, "npm run build");
    for (const script of ["preinstall", "install", "postinstall"]) {
      assert.equal(manifest.scripts[script], undefined, `${script} would run in the installing program`);
    }
  });
});

describe("examples/shared-cluster", () => {
  const example = readJson("examples/shared-cluster/package.json") as unknown as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it("installs the tarball `npm pack` names after this version", () => {
    const tarball = `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
    assert.equal(example.dependencies[manifest.name], `file:../../${tarball}`);
  });

  it("pins the versions this repository tests (so its scratch install comes from the npm cache)", () => {
    for (const [name, version] of Object.entries({ ...example.dependencies, ...example.devDependencies })) {
      if (name !== manifest.name) assert.equal(version, manifest.devDependencies[name], name);
    }
  });

  it("imports runway by the package name only", () => {
    const source = fs.readFileSync(path.join(ROOT, "examples", "shared-cluster", "index.ts"), "utf8");
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(imports, ["@pulumi/pulumi", manifest.name]);
  });
});
