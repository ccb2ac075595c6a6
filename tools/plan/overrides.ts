/**
 * `--set key=value` for what-if questions, with `pulumi config set --path` semantics:
 * "runway:target=gke", "runway:service.cpu=4", "runway:gke.authorizedNetworks[0].cidr=203.0.113.0/24";
 * and `--unset key` with `pulumi config rm --path` semantics: "runway:gke", "runway:service.gpu".
 */

/** Structured text as JSON: objects and arrays parse, anything else stays text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A leaf set under a --path, stored the way `pulumi config set --path` stores it: "true" and "false" become
 * booleans and integers numbers, every other scalar stays a string ("0.5", "4Gi"). One convenience Pulumi lacks:
 * a JSON object or list (`runway:service.gpu={"type":"nvidia-l4"}`) is stored as that structure.
 */
function pathLeaf(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?(0|[1-9]\d*)$/.test(text)) return Number(text);
  const json = /^\s*[[{]/.test(text) ? parseJson(text) : text;
  return json !== null && typeof json === "object" ? json : text;
}

function pathSegments(path: string): (string | number)[] {
  // Each match is one of the two alternatives: a name (group 1) or an index (group 2).
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? "")));
}

/** Applies one `key=value` to a flat "namespace:key" → text config; throws on a malformed assignment. */
export function applyOverride(config: Record<string, string>, assignment: string): Record<string, string> {
  const match = /^([a-z0-9-]+:[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)=(.*)$/s.exec(assignment);
  if (!match) throw new Error(`--set ${assignment}: expected namespace:key[.path]=value, e.g. runway:service.cpu=4`);
  // All three groups take part in every match (the path one possibly empty), so the defaults are never used.
  const [, key = "", path = "", text = ""] = match;
  // Pulumi stores a top-level value as the text given.
  if (!path) return { ...config, [key]: text };
  const value = pathLeaf(text);

  const current = config[key];
  const root: unknown = current === undefined ? {} : parseJson(current);
  if (root === null || typeof root !== "object") throw new Error(`--set ${assignment}: ${key} is not an object`);
  const segments = pathSegments(path);
  let node = root as Record<string | number, unknown>;
  for (const [i, segment] of segments.entries()) {
    if (i === segments.length - 1) {
      node[segment] = value;
    } else {
      const next = node[segment];
      node[segment] = next !== null && typeof next === "object" ? next : typeof segments[i + 1] === "number" ? [] : {};
      node = node[segment] as Record<string | number, unknown>;
    }
  }
  return { ...config, [key]: JSON.stringify(root) };
}

function keysOf(node: object): string {
  const keys = Array.isArray(node) ? node.map((_, i) => `[${i}]`) : Object.keys(node);
  return keys.length > 0 ? keys.join(", ") : "nothing";
}

/**
 * `--unset namespace:key[.path]`, the inverse of `--set` with the same path syntax (`pulumi config rm --path`): removes
 * a top-level key, an object's member or a list's element. Throws, naming what is there, when the key is not set.
 */
export function applyUnset(config: Record<string, string>, keyPath: string): Record<string, string> {
  const match = /^([a-z0-9-]+:[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)$/.exec(keyPath);
  if (!match) throw new Error(`--unset ${keyPath}: expected namespace:key[.path], e.g. runway:service.gpu`);
  // Both groups take part in every match (the path one possibly empty), so the defaults are never used.
  const [, key = "", path = ""] = match;
  const current = config[key];
  if (current === undefined) {
    const set = Object.keys(config).sort();
    throw new Error(`--unset ${keyPath}: ${key} is not set in this stack; set here: ${set.join(", ") || "nothing"}`);
  }
  if (!path) return Object.fromEntries(Object.entries(config).filter(([k]) => k !== key));
  const root = parseJson(current);
  const segments = pathSegments(path);
  let node: unknown = root;
  let where = key;
  for (const [i, segment] of segments.entries()) {
    const here = typeof segment === "number" ? `${where}[${segment}]` : `${where}.${segment}`;
    const container = node !== null && typeof node === "object" ? node : undefined;
    const fits = container && Array.isArray(container) === (typeof segment === "number");
    if (!container || !fits || !Object.hasOwn(container, segment)) {
      const has = container ? `; ${where} has ${keysOf(container)}` : `; ${where} is not an object or a list`;
      throw new Error(`--unset ${keyPath}: ${here} is not set${has}`);
    }
    if (i === segments.length - 1) {
      if (Array.isArray(container)) container.splice(segment as number, 1);
      else delete (container as Record<string, unknown>)[segment];
    } else {
      node = (container as Record<string | number, unknown>)[segment];
      where = here;
    }
  }
  return { ...config, [key]: JSON.stringify(root) };
}
