/**
 * The building blocks of the cost estimate: a priced line that remembers the price figures it used (so the
 * estimate can cite their dates and caveats), and the two ways runway prices things — by the hour for a whole
 * month, and by metered units after a free allowance.
 */
import { HOURS_PER_MONTH, type Figure } from "../facts/prices";

/** One month of wall-clock time in seconds, on the same 730-hour month as every hourly price. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** A cost line before rounding. `usd` undefined means the price is not known; it is never guessed. */
export interface Line {
  readonly item: string;
  readonly usd?: number;
  readonly basis: string;
  readonly figures: readonly Figure[];
}

/**
 * A note of the estimate with a one-line form for the plan: `text` is that line, `detail` the whole note (the
 * arithmetic, the caveats) when it says more, `source` the page the prices of a "Prices from …" or "Unconfirmed
 * price: …" note come from.
 */
export interface Note {
  readonly text: string;
  readonly detail?: string;
  readonly source?: string;
}

/** What a target or a resource adds to the estimate: lines idle and under load, and the assumptions behind them. */
export interface Contribution {
  readonly idle: readonly Line[];
  /** Present only with a runway:load profile. */
  readonly underLoad?: readonly Line[];
  /** A plain string is a note whose one-line form briefNote() makes. */
  readonly notes: readonly (string | Note)[];
}

/** The most characters a note's one-line form has, so that the plan's `  note: ` line fits in 120 columns. */
export const BRIEF_NOTE_MAX = 110;

/**
 * A note with its one-line form. A string that is too long is cut at its last clause boundary ("; ", ": ", " (",
 * ", ") that fits and ends in "…", the whole string kept as the detail; a string that fits is its own line.
 */
export function briefNote(note: string | Note): Note {
  if (typeof note !== "string") return note;
  if (note.length <= BRIEF_NOTE_MAX) return { text: note };
  const boundaries = [...note.slice(0, BRIEF_NOTE_MAX).matchAll(/; |: | \(|, /g)].map((m) => m.index);
  const cut = boundaries.at(-1) ?? note.lastIndexOf(" ", BRIEF_NOTE_MAX - 1);
  return { text: `${note.slice(0, cut > 0 ? cut : BRIEF_NOTE_MAX - 1).trimEnd()}…`, detail: note };
}

/** The whole text of a note: its detail, else its line. */
export function noteText(note: Note): string {
  return note.detail ?? note.text;
}

/** Cents, rounding half away from zero; the epsilon absorbs binary noise such as 2.2249999999999996. */
export function cents(usd: number): number {
  const rounded = Math.round(Math.abs(usd) * 100 + 1e-7) / 100;
  return usd < 0 ? -rounded : rounded;
}

/** The sum of the rounded lines, so a total always equals what its lines show; undefined if any is unknown. */
export function total(lines: readonly { readonly usd?: number }[]): number | undefined {
  let sum = 0;
  for (const line of lines) {
    if (line.usd === undefined) return undefined;
    sum += cents(line.usd);
  }
  return cents(sum);
}

/** "2,628,000", "0.5": readable quantities in a basis. */
export function quantity(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/** A figure as the table has it, to ten significant digits (which only trims derived ones such as 0.67/3600). */
export function figureValue(figure: Figure): string {
  return String(Number(figure.value.toPrecision(10)));
}

/** A unit price in a basis: "$0.000018". */
export function price(figure: Figure): string {
  return `$${figureValue(figure)}`;
}

/** A line whose price is missing from the table: listed so that the total says "unknown", never "free". */
export function unpriced(item: string, what: string): Line {
  return { item, basis: `no price for ${what} in runway's table (facts/prices.ts)`, figures: [] };
}

export interface Hourly {
  /** $/h of one unit (a node, a gateway), with the figures it is made of. */
  readonly usdPerHour: number;
  readonly basis: string;
  readonly figures: readonly Figure[];
}

/** `count` units running the whole month at an hourly price. */
export function monthOf(item: string, count: number, hourly: Hourly): Line {
  return {
    item,
    usd: count * hourly.usdPerHour * HOURS_PER_MONTH,
    basis: `${count} × ${hourly.basis} × ${HOURS_PER_MONTH} h`,
    figures: hourly.figures,
  };
}

/** An hourly price that is one figure. */
export function hourlyOf(figure: Figure): Hourly {
  return { usdPerHour: figure.value, basis: `${price(figure)}/h`, figures: [figure] };
}

/** A free allowance (or what is left of it) and the figure it comes from. */
export interface Allowance {
  readonly units: number;
  readonly figure: Figure;
}

interface Metered {
  readonly item: string;
  /** How `used` comes about, e.g. "1 instance × 2,628,000 s × 1 vCPU". */
  readonly from?: string;
  /** Units used in the month (vCPU-seconds, GiB-seconds, requests, GB). */
  readonly used: number;
  readonly unit: string;
  /** Price per `per` units; undefined when not known. */
  readonly rate: Figure | undefined;
  readonly per?: number;
  /** The part of a free allowance left for this line. */
  readonly free?: Allowance;
}

/** Metered use: what exceeds the free allowance, at the unit price. Never below zero. */
export function metered({ item, from, used, unit, rate, per = 1, free }: Metered): Line {
  if (!rate) return unpriced(item, unit);
  const billable = Math.max(0, used - (free?.units ?? 0));
  const perText = per === 1 ? unit : `${quantity(per)} ${unit}`;
  const freeText = free ? ` − ${quantity(free.units)} free = ${quantity(billable)}` : "";
  return {
    item,
    usd: (billable / per) * rate.value,
    basis: `${from ? `${from} = ` : ""}${quantity(used)} ${unit}${freeText} × ${price(rate)}/${perText}`,
    figures: free ? [rate, free.figure] : [rate],
  };
}

/** What is left of a free allowance after `used` units of it went to earlier lines. */
export function remainingFree(free: Allowance, used: number): Allowance {
  return { units: Math.max(0, free.units - used), figure: free.figure };
}
