/**
 * The plan's text is read in a terminal or a pull-request comment: every line fits in 120 columns. Prose wraps;
 * data (image refs, chart values) is shortened unless --verbose asks for all of it, wrapped.
 */

/** The widest line the plan prints. */
export const WIDTH = 120;

/** Columns a line takes: one per code point (the plan prints no wide characters). */
export function columns(text: string): number {
  return [...text].length;
}

/** `text` cut to `width` columns, ending in "…" when cut. */
export function fit(text: string, width = WIDTH): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join("")}…`;
}

/**
 * Words into lines of at most `width` columns: the first starts with `first`, the others with `rest`. A word
 * longer than a line (a URL, a JSON value) is split across lines.
 */
export function wrap(text: string, first: string, rest = first, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = () => width - columns(line);
  for (const word of text.split(" ").filter((w) => w !== "")) {
    const spaced = empty ? word : ` ${word}`;
    if (columns(spaced) <= room()) {
      line += spaced;
      empty = false;
      continue;
    }
    if (!empty && columns(word) <= width - columns(rest)) {
      lines.push(line);
      line = rest + word;
      continue;
    }
    // Too long for any line: fill this one and carry on below.
    let chars = [...spaced];
    while (chars.length > room()) {
      const take = room();
      lines.push(line + chars.slice(0, take).join(""));
      line = rest;
      chars = chars.slice(take);
    }
    line += chars.join("");
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Image digests to their first 12 hex digits, the way `docker images` shows image IDs. */
export function shortDigests(text: string): string {
  return text.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}/g, "@sha256:$1…");
}

/** "$745.08", "$1,234.50"; a negative amount is a credit: "$73.00 off". */
export function money(usd: number | undefined): string {
  if (usd === undefined) return "unknown";
  const text = `$${Math.abs(usd).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return usd < 0 ? `${text} off` : text;
}
