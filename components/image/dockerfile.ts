/**
 * What a Dockerfile says about the user its image runs as: the last USER of the final stage (the last FROM),
 * following `FROM <earlier stage>` back to that stage's user. Pure: the caller reads the file. Hand-written
 * rather than a dependency (dockerfile-ast is CommonJS and maintained, but would add two packages to the
 * validation bundle for one instruction).
 *
 * Syntax followed (https://docs.docker.com/reference/dockerfile/): instructions are case-insensitive; a line
 * starting with `#` is a comment, also inside a continued instruction; the escape character (`\`, or the one
 * a leading `# escape=` directive sets) continues a line; heredoc bodies (`RUN <<EOF`) are not instructions;
 * `FROM [--platform=…] image [AS name]`; `USER <user>[:<group>]`.
 */
import * as path from "node:path";

/** The build context runway uses when runway:image.context is unset, relative to the Pulumi project. */
export const DEFAULT_BUILD_CONTEXT = "app";
/** The Dockerfile runway uses when runway:image.dockerfile is unset, relative to the context. */
export const DEFAULT_DOCKERFILE = "Dockerfile";

/** The Dockerfile of a build, relative to the project as the docker provider resolves it ("app/Dockerfile"). */
export function dockerfilePath(source: {
  readonly context?: string | undefined;
  readonly dockerfile?: string | undefined;
}): string {
  return path.join(source.context ?? DEFAULT_BUILD_CONTEXT, source.dockerfile ?? DEFAULT_DOCKERFILE);
}

export interface Instruction {
  /** Upper case: "FROM", "USER", … */
  readonly keyword: string;
  /** The rest of the instruction, continuations joined. */
  readonly args: string;
}

/** The escape character: `\\`, or the one an `# escape=` parser directive (a comment before anything else) sets. */
function escapeCharacter(lines: readonly string[]): string {
  let escape = "\\";
  for (const line of lines) {
    if (!/^#\s*\w+\s*=/.test(line)) break;
    escape = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(line)?.[1] ?? escape;
  }
  return escape;
}

function instruction(text: string): Instruction | undefined {
  const match = /^\s*(\S+)\s*(.*)$/s.exec(text);
  return match ? { keyword: (match[1] ?? "").toUpperCase(), args: (match[2] ?? "").trim() } : undefined;
}

/** The heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`), in order; `<<-` strips leading tabs. */
function heredocsOf(args: string): { delimiter: string; tabs: boolean }[] {
  return [...args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)].map((m) => ({
    delimiter: m[3] ?? "",
    tabs: m[1] === "-",
  }));
}

/** The instructions of a Dockerfile in order, without comments, continuations or heredoc bodies. */
export function dockerfileInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = escapeCharacter(lines);
  const instructions: Instruction[] = [];
  let logical = "";
  let heredocs: { delimiter: string; tabs: boolean }[] = [];
  for (const line of lines) {
    const heredoc = heredocs[0];
    if (heredoc) {
      if ((heredoc.tabs ? line.replace(/^\t+/, "") : line) === heredoc.delimiter) heredocs = heredocs.slice(1);
      continue;
    }
    // Comment and empty lines are dropped, also between the lines of one instruction.
    if (/^\s*#/.test(line) || line.trim() === "") continue;
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(escape)) {
      logical += trimmed.slice(0, -1);
      continue;
    }
    const next = instruction(logical + trimmed);
    logical = "";
    if (!next) continue;
    instructions.push(next);
    heredocs = heredocsOf(next.args);
  }
  // A continuation on the last line ends with the file.
  const last = instruction(logical);
  return last ? [...instructions, last] : instructions;
}

/** How the final stage's user runs: root, a numeric non-root uid, a name, or a build variable. */
export type UserKind = "root" | "numeric" | "named" | "variable";

export interface FinalUser {
  /** The USER value in effect (`user[:group]`), undefined when no stage in the chain sets one. */
  readonly user: string | undefined;
  /** No USER counts as root: runway does not look into the base image. */
  readonly kind: UserKind;
}

/** Root is `root`, uid 0 (`0`, `0:0`); a group does not change the user. */
export function userKind(user: string | undefined): UserKind {
  const name = (user ?? "root").split(":")[0] ?? "";
  if (name.includes("$")) return "variable";
  if (name === "root" || /^0+$/.test(name)) return "root";
  return /^\d+$/.test(name) ? "numeric" : "named";
}

/** The user the image a Dockerfile builds runs as: the final stage's last USER, or the stage it is built FROM. */
export function finalStageUser(text: string): FinalUser {
  const stages = new Map<string, string | undefined>();
  let user: string | undefined;
  let stage = "";
  for (const { keyword, args } of dockerfileInstructions(text)) {
    if (keyword === "FROM") {
      if (stage) stages.set(stage, user);
      // `FROM [--platform=…] image [AS name]`: an earlier stage's name carries that stage's user on.
      const [image = "", as, name] = args.split(/\s+/).filter((word) => !word.startsWith("--"));
      user = stages.get(image.toLowerCase());
      stage = as?.toUpperCase() === "AS" && name ? name.toLowerCase() : "";
    } else if (keyword === "USER") {
      user = (args.split(/\s+/)[0] ?? "").replace(/^(["'])(.*)\1$/, "$2");
    }
  }
  return { user, kind: userKind(user) };
}

/** What validation knows of an image runway builds: its Dockerfile and the user the image runs as. */
export interface BuiltImage {
  /** The Dockerfile, relative to the project ("app/Dockerfile"). */
  readonly dockerfile: string;
  readonly user: FinalUser;
}
