/**
 * `npm run test:package`: what a platform team gets from `npm pack`. Packs the package (prepack builds dist/),
 * installs the tarball into a scratch copy of examples/shared-cluster in a temporary directory, type-checks the
 * example with its own tsconfig (Pulumi's TypeScript template's), and runs it under Pulumi's mock runtime
 * (tools/pack-check-driver.ts), which asserts what it registers.
 *
 * Offline: the scratch install is `npm ci --offline` from a lockfile cut out of the root package-lock.json (the same
 * versions of @pulumi/*, typescript and @types/node, plus the tarball), so every package comes from the npm cache
 * the root `npm ci` just filled and nothing is downloaded again. Set PACK_CHECK_KEEP=1 to keep the directory.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const EXAMPLE = path.join(ROOT, "examples", "shared-cluster");
const PACKAGE = "@runway/components";

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}
interface PackageJson {
  name: string;
  version: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** The tarball `npm pack` made, and the paths in it (without tar's package/ prefix). */
interface Packed {
  filename: string;
  files: string[];
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

const steps: { step: string; seconds: number }[] = [];
/** Thrown by a failed step, after it has said what failed; the child process has printed its own output. */
class StepFailure extends Error {}

function step<T>(name: string, run: () => T): T {
  const start = process.hrtime.bigint();
  process.stdout.write(`pack-check: ${name}\n`);
  try {
    const result = run();
    steps.push({ step: name, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    return result;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const why =
      typeof status === "number" ? `exit code ${status}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`pack-check: FAILED: ${name}: ${why}\n`);
    throw new StepFailure(name);
  }
}

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/**
 * The root lockfile's entries a project with `wanted` dependencies needs: each package where the root tree
 * has it, found the way Node resolves (nested node_modules first, then upwards), with its own dependencies.
 */
function lockClosure(packages: Record<string, LockEntry>, wanted: readonly string[]): Record<string, LockEntry> {
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ;) {
      const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
      base = base.slice(0, base.lastIndexOf("node_modules/")).replace(/\/$/, "");
    }
  };
  const picked: Record<string, LockEntry> = {};
  const visit = (from: string, name: string, required: boolean) => {
    const at = resolve(from, name);
    if (!at) {
      if (required) throw new Error(`${name} (needed from ${from || "the root"}) is not in package-lock.json`);
      return;
    }
    if (picked[at]) return;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...entry } = packages[at] as LockEntry;
    picked[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.peerDependencies ?? {}))
      visit(at, dep, !entry.peerDependenciesMeta?.[dep]?.optional);
  };
  for (const name of wanted) visit("", name, true);
  return picked;
}

function main(): void {
  const started = process.hrtime.bigint();
  const root = readJson<PackageJson>(path.join(ROOT, "package.json"));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pack-check-"));
  try {
    // 1. Build, as prepack does, then pack without lifecycle scripts: a `prepare` (this repository's own installs)
    //    would run too and add nothing to the tarball. `files` decides what ships.
    step("npm run build (what prepack runs: tsconfig.build.json to dist/)", () => {
      if (root.scripts?.prepack !== "npm run build") throw new Error(`prepack is "${root.scripts?.prepack}"`);
      sh("npm", ["run", "build", "--silent"], ROOT);
    });
    const packed = step("npm pack --ignore-scripts", (): Packed => {
      sh("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch, "--loglevel=error"], ROOT);
      const [filename, ...others] = fs.readdirSync(scratch).filter((file) => file.endsWith(".tgz"));
      if (!filename || others.length > 0)
        throw new Error(`expected one tarball, found ${fs.readdirSync(scratch).join(", ")}`);
      const files = sh("tar", ["-tzf", filename], scratch)
        .split("\n")
        .filter((line) => line && !line.endsWith("/"))
        .map((line) => line.replace(/^package\//, ""));
      return { filename, files };
    });
    step(
      "the tarball holds dist/ (JavaScript, source maps, declarations), the forwarder's build context and the package's documents only",
      () => {
        const shipped = packed.files;
        const unexpected = shipped.filter(
          (file) =>
            !/^dist\/.+\.(js|js\.map|d\.ts)$/.test(file) &&
            !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(file) &&
            // The event forwarder's build context: GKE stacks with events build its image (targets/gke/events.ts).
            !/^forwarder\/(Dockerfile|\.dockerignore|forwarder\.mjs)$/.test(file),
        );
        if (unexpected.length > 0) throw new Error(`it ships ${unexpected.join(", ")}`);
        const missing = ["dist/index.js", "dist/index.d.ts", "LICENSE", "CHANGELOG.md"].filter(
          (f) => !shipped.includes(f),
        );
        if (missing.length > 0) throw new Error(`it lacks ${missing.join(", ")}`);
      },
    );

    // Installing the tarball runs its install scripts in the program's node_modules, where app/ and policy/ do
    // not exist; the scratch install below skips scripts (@pulumi/kubernetes's runs `pulumi plugin install`), so
    // this is checked on the packed manifest.
    step("the tarball runs no install scripts in the program that installs it", () => {
      const manifest = JSON.parse(
        sh("tar", ["-xOzf", path.join(scratch, packed.filename), "package/package.json"], scratch),
      ) as { scripts?: Record<string, string> };
      const install = ["preinstall", "install", "postinstall"].filter((script) => manifest.scripts?.[script]);
      if (install.length > 0) {
        throw new Error(
          install.map((script) => `"${script}": "${manifest.scripts?.[script]}"`).join(", ") +
            " would run in the installing program's node_modules/@runway/components; run it from `prepare`, which" +
            " npm runs on this repository's own npm ci/install but not for a tarball or registry dependency",
        );
      }
    });

    // 2. A scratch copy of the example, depending on the tarball beside it.
    const project = path.join(scratch, "shared-cluster");
    const example = readJson<PackageJson>(path.join(EXAMPLE, "package.json"));
    step("copy examples/shared-cluster", () => {
      fs.mkdirSync(project);
      for (const file of ["index.ts", "package.json", "tsconfig.json", "Pulumi.yaml"]) {
        fs.copyFileSync(path.join(EXAMPLE, file), path.join(project, file));
      }
      fs.renameSync(path.join(scratch, packed.filename), path.join(project, packed.filename));
      // The example installs the tarball `npm pack` leaves in the repository root: its name carries the version.
      const spec = example.dependencies?.[PACKAGE];
      if (spec !== `file:../../${packed.filename}`) {
        throw new Error(
          `pack-check: examples/shared-cluster depends on ${PACKAGE}@${spec}; npm pack made ${packed.filename}`,
        );
      }
      example.dependencies = { ...example.dependencies, [PACKAGE]: `file:${packed.filename}` };
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(example, null, 2) + "\n");
    });

    // 3. Its lockfile: the root's versions, and the tarball by its integrity.
    step("write the scratch package-lock.json from the root's", () => {
      const lock = readJson<{ packages: Record<string, LockEntry> }>(path.join(ROOT, "package-lock.json"));
      const own = { ...example.dependencies, ...example.devDependencies };
      delete own[PACKAGE];
      for (const [name, version] of Object.entries(own)) {
        const locked = lock.packages[`node_modules/${name}`]?.version;
        if (locked !== version) {
          throw new Error(`the example pins ${name}@${version}, the root lockfile has ${String(locked)}`);
        }
      }
      const tarball = fs.readFileSync(path.join(project, packed.filename));
      const packages = {
        "": { name: example.name, dependencies: example.dependencies, devDependencies: example.devDependencies },
        ...lockClosure(lock.packages, [...Object.keys(own), ...Object.keys(root.dependencies ?? {})]),
        [`node_modules/${PACKAGE}`]: {
          version: root.version,
          resolved: `file:${packed.filename}`,
          integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
          license: root.license,
          dependencies: root.dependencies,
          engines: root.engines,
          peerDependencies: root.peerDependencies,
          // As npm records it from the manifest (step 7 checks that there are none).
          ...(["preinstall", "install", "postinstall"].some((script) => root.scripts?.[script]) && {
            hasInstallScript: true,
          }),
        },
      };
      const scratchLock = { name: example.name, lockfileVersion: 3, requires: true, packages };
      fs.writeFileSync(path.join(project, "package-lock.json"), JSON.stringify(scratchLock, null, 2) + "\n");
    });

    // 4. Install offline, without install scripts (checked above).
    step("npm ci --offline (from the npm cache)", () =>
      sh("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], project),
    );
    step("one copy of each @pulumi/* package, the program's", () => {
      const nested = path.join(project, "node_modules", ...PACKAGE.split("/"), "node_modules");
      if (fs.existsSync(nested)) {
        throw new Error(`${PACKAGE} got its own ${fs.readdirSync(nested).join(", ")}: duplicate SDKs`);
      }
      for (const name of Object.keys(root.peerDependencies ?? {})) {
        const installed = readJson<PackageJson>(path.join(project, "node_modules", name, "package.json")).version;
        if (installed !== example.dependencies?.[name]) {
          throw new Error(
            `pack-check: ${name} ${installed} installed, the example pins ${example.dependencies?.[name]}`,
          );
        }
      }
    });

    // 5. Type-check (and emit bin/) with the template's tsconfig, as `tsc` in that program would.
    step("tsc -p . (Pulumi's template tsconfig: es2020, nodenext, no skipLibCheck)", () =>
      sh(path.join(project, "node_modules", ".bin", "tsc"), ["-p", "."], project),
    );

    // 6. Load and run it under mocks, from the scratch directory so that every import resolves to its packages.
    step("run bin/index.js under Pulumi's mock runtime", () => {
      fs.copyFileSync(path.join(ROOT, "tools", "mock-runtime.ts"), path.join(project, "mock-runtime.ts"));
      fs.copyFileSync(path.join(ROOT, "tools", "pack-check-driver.ts"), path.join(project, "driver.ts"));
      execFileSync(process.execPath, ["--require", path.join(ROOT, "tools", "plan", "ts-require.js"), "driver.ts"], {
        cwd: project,
        stdio: "inherit",
      });
    });
  } finally {
    if (process.env.PACK_CHECK_KEEP) process.stdout.write(`pack-check: kept ${scratch}\n`);
    else fs.rmSync(scratch, { recursive: true, force: true });
    for (const { step: name, seconds } of steps)
      process.stdout.write(`  ${seconds.toFixed(1).padStart(5)} s  ${name}\n`);
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`pack-check: ok in ${total.toFixed(1)} s\n`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof StepFailure)) throw error;
  process.exitCode = 1;
}
