/**
 * `--set key=value` for what-if questions, with `pulumi config set --path` semantics:
 * "runway:target=gke", "runway:service.cpu=4", "runway:gke.authorizedNetworks[0].cidr=203.0.113.0/24".
 */

/** The value as the user meant it: JSON when it parses (numbers, booleans, objects), else text. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
  const value = parseValue(text);
  if (!path) return { ...config, [key]: typeof value === "string" ? value : JSON.stringify(value) };

  const current = config[key];
  const root: unknown = current === undefined ? {} : parseValue(current);
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
