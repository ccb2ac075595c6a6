/**
 * The monthly cost estimate (issue 6): what the stack costs idle and, with a runway:load profile, under load.
 * A pure function of the validated config and runway's price table (facts/prices.ts); prices that are not in the
 * table are reported as unknown, never guessed. The model's rules live beside this file, one per resource.
 */
import type { ValidatedConfig } from "../config/validate";
import { HOURS_PER_MONTH, pricesFor, type Figure } from "../facts/prices";
import { artifactRegistryCost } from "../image/cost";
import { targetCost } from "../targets";
import { briefNote, cents, figureValue, noteText, total, type Line, type Note } from "./line";

/** A note of the estimate: its one-line `text`, the whole note as `detail` when longer, a price's `source`. */
export type CostNote = Note;

export interface CostLine {
  readonly item: string;
  /** USD a month, rounded to cents; undefined when the price is not known (never guessed). */
  readonly usd?: number;
  /** The arithmetic, with the unit prices used. */
  readonly basis: string;
}

export interface CostTotal {
  /** The sum of the lines; undefined when any line is unknown. */
  readonly usd?: number | undefined;
  readonly lines: readonly CostLine[];
}

export interface CostEstimate {
  readonly region: string;
  /** false when runway has no price table for the region: then no figures at all. */
  readonly known: boolean;
  /** With no traffic: what keeps running. */
  readonly idle: CostTotal;
  /** With the runway:load profile; absent without one. */
  readonly underLoad?: CostTotal;
  /** Assumptions, free-tier caveats, unconfirmed prices and the dates of the prices used: each note's whole text. */
  readonly notes: readonly string[];
  /**
   * The same notes in the same order, each with its one-line `text` (what the plan prints), the whole note as
   * `detail` when it says more, and the `source` of a "Prices from …" or "Unconfirmed price: …" note.
   */
  readonly briefNotes: readonly CostNote[];
}

/** The notes of an estimate, once each (by whole text), in both shapes. */
function withNotes(notes: readonly (string | Note)[]): Pick<CostEstimate, "notes" | "briefNotes"> {
  const byText = new Map<string, Note>();
  for (const note of notes.map(briefNote)) if (!byText.has(noteText(note))) byText.set(noteText(note), note);
  return { notes: [...byText.keys()], briefNotes: [...byText.values()] };
}

function costTotal(lines: readonly Line[]): CostTotal {
  return {
    usd: total(lines),
    lines: lines.map(({ item, usd, basis }) =>
      usd === undefined ? { item, basis } : { item, usd: cents(usd), basis },
    ),
  };
}

/** Where the prices come from and how old they are, once per source. */
function sourceNotes(figures: readonly Figure[]): Note[] {
  const bySource = new Map(figures.map((figure) => [figure.source, figure.asOf]));
  return [...bySource].map(([source, asOf]) => ({ text: `Prices from ${source} (${asOf}).`, source }));
}

/** Prices that no Google source confirms, with their caveats. */
function unconfirmedNotes(figures: readonly Figure[]): Note[] {
  return figures
    .filter((figure) => figure.unconfirmed)
    .map((figure) => {
      const text = `Unconfirmed price: ${figureValue(figure)} ${figure.unit}`;
      return figure.note
        ? { text: `${text}.`, detail: `${text} (${figure.note}).`, source: figure.source }
        : { text: `${text}.`, source: figure.source };
    });
}

function unknownRegion(region: string, withLoad: boolean): CostEstimate {
  const unknown: CostTotal = { lines: [] };
  return {
    region,
    known: false,
    idle: unknown,
    ...(withLoad ? { underLoad: unknown } : {}),
    ...withNotes([
      {
        text: `No price table for ${region}; runway does not guess (components/facts/prices.ts has the regions).`,
        detail: `No price table for ${region}; runway does not guess. Price tables exist for the regions in components/facts/prices.ts.`,
      },
    ]),
  };
}

export function estimateMonthlyCost(config: ValidatedConfig): CostEstimate {
  const region = config.gcp.region;
  const prices = pricesFor(region);
  if (!prices) return unknownRegion(region, config.runway.load !== undefined);
  const target = targetCost(config, config.decision, prices);
  const image = artifactRegistryCost(config.runway.image, prices);
  const idle = [...target.idle, ...image.idle];
  const underLoad = target.underLoad && [...target.underLoad, ...image.idle];
  const figures = [...new Set([...idle, ...(underLoad ?? [])].flatMap((line) => line.figures))];
  return {
    region,
    known: true,
    idle: costTotal(idle),
    ...(underLoad ? { underLoad: costTotal(underLoad) } : {}),
    ...withNotes([
      {
        text: `List prices for a ${HOURS_PER_MONTH}-hour month, before taxes and discounts; network egress is not modeled.`,
        detail:
          `List prices in USD for ${region}, for a ${HOURS_PER_MONTH}-hour month, before taxes and sustained- or committed-use ` +
          "discounts; network egress is not modeled.",
      },
      ...target.notes,
      ...image.notes,
      ...unconfirmedNotes(figures),
      ...sourceNotes(figures),
    ]),
  };
}
