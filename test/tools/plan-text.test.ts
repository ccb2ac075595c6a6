/**
 * The pieces of the plan's text output, in process: --unset, wrapping to 120 columns, money, short notes and the
 * names of resource types. test/tools/plan-cli.test.ts runs the whole CLI.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { briefNote, BRIEF_NOTE_MAX } from "../../components/cost/line";
import { applyOverride, applyUnset } from "../../tools/plan/overrides";
import { TYPE_NAMES, typeName } from "../../tools/plan/summary";
import { fit, money, shortDigests, wrap } from "../../tools/plan/text";

const base = {
  "runway:target": "gke",
  "runway:service": JSON.stringify({ cpu: "4", gpu: { type: "nvidia-l4" }, env: { A: "1" } }),
  "runway:gke": JSON.stringify({ location: "us-central1-a", authorizedNetworks: [{ cidr: "a" }, { cidr: "b" }] }),
};

describe("--unset", () => {
  it("removes a top-level key, an object's member or a list's element, with --set's path syntax", () => {
    assert.deepEqual(Object.keys(applyUnset(base, "runway:gke")), ["runway:target", "runway:service"]);
    assert.deepEqual(JSON.parse(applyUnset(base, "runway:service.gpu")["runway:service"] ?? ""), {
      cpu: "4",
      env: { A: "1" },
    });
    const gke = JSON.parse(applyUnset(base, "runway:gke.authorizedNetworks[0]")["runway:gke"] ?? "") as {
      authorizedNetworks: unknown;
    };
    assert.deepEqual(gke.authorizedNetworks, [{ cidr: "b" }]);
    assert.equal(base["runway:service"].includes("gpu"), true, "the input is left alone");
  });

  it("undoes a --set", () => {
    const set = applyOverride(base, "runway:service.memory=16Gi");
    assert.deepEqual(applyUnset(set, "runway:service.memory"), base);
  });

  it("refuses a key that is not set, naming what is there", () => {
    assert.throws(
      () => applyUnset(base, "runway:load"),
      /^Error: --unset runway:load: runway:load is not set in this stack; set here: runway:gke, runway:service, runway:target$/,
    );
    assert.throws(
      () => applyUnset(base, "runway:service.gpux"),
      /^Error: --unset runway:service\.gpux: runway:service\.gpux is not set; runway:service has cpu, gpu, env$/,
    );
    assert.throws(
      () => applyUnset(base, "runway:service.cpu.x"),
      /runway:service\.cpu\.x is not set; runway:service\.cpu is not an object or a list$/,
    );
    assert.throws(
      () => applyUnset(base, "runway:gke.authorizedNetworks[2]"),
      /runway:gke\.authorizedNetworks\[2\] is not set; runway:gke\.authorizedNetworks has \[0\], \[1\]$/,
    );
    assert.throws(() => applyUnset(base, "runway:gke.authorizedNetworks.cidr"), /is not set/);
    assert.throws(() => applyUnset(base, "gke"), /^Error: --unset gke: expected namespace:key\[\.path\]/);
    assert.throws(() => applyUnset(base, "runway:gke=x"), /expected namespace:key\[\.path\]/);
  });
});

describe("plan text", () => {
  it("wraps prose within the width, splitting only words longer than a line", () => {
    const lines = wrap("aaa bbb ccc dddd", "> ", "  ", 10);
    assert.deepEqual(lines, ["> aaa bbb", "  ccc dddd"]);
    assert.deepEqual(wrap("x 0123456789abc", "> ", "  ", 10), ["> x 012345", "  6789abc"]);
    for (const line of wrap("word ".repeat(100), "  note: ", "        ")) assert.ok(line.length <= 120);
  });

  it("shortens data with an ellipsis and image digests to 12 hex digits", () => {
    assert.equal(fit("abcdef", 4), "abc…");
    assert.equal(fit("abc", 4), "abc");
    assert.equal(shortDigests(`r/i@sha256:${"0123456789abcdef".repeat(4)}; cpu 1`), "r/i@sha256:0123456789ab…; cpu 1");
  });

  it("labels a credit instead of printing a negative amount", () => {
    assert.equal(money(745.08), "$745.08");
    assert.equal(money(1234.5), "$1,234.50");
    assert.equal(money(-73), "$73.00 off");
    assert.equal(money(undefined), "unknown");
  });

  it("gives a long note a one-line form cut at a clause, keeping the whole note as its detail", () => {
    const long = `${"x".repeat(80)}; ${"y".repeat(60)}`;
    assert.deepEqual(briefNote(long), { text: `${"x".repeat(80)}…`, detail: long });
    assert.deepEqual(briefNote("short"), { text: "short" });
    const spaces = "word ".repeat(40).trim();
    assert.ok(briefNote(spaces).text.length <= BRIEF_NOTE_MAX);
    const note = { text: "t", detail: "d" };
    assert.equal(briefNote(note), note);
  });

  it("names every resource type the shipped stacks create", () => {
    const golden = path.join(__dirname, "..", "golden");
    const types = new Set<string>();
    for (const file of fs.readdirSync(golden).filter((f) => f.endsWith(".json"))) {
      // Every URN in the file, urn:pulumi:STACK::PROJECT::PARENT$TYPE::NAME, whatever the document's shape.
      for (const [urn] of fs.readFileSync(path.join(golden, file), "utf8").matchAll(/urn:pulumi:[^"]+/g)) {
        const type = urn.split("::")[2]?.split("$").at(-1);
        if (type && type !== "pulumi:pulumi:Stack") types.add(type);
      }
    }
    assert.ok(types.size > 30, [...types].join(", "));
    assert.deepEqual(
      [...types].filter((type) => !Object.hasOwn(TYPE_NAMES, type)),
      [],
    );
    assert.equal(typeName("gcp:cloudrunv2/service:Service"), "Cloud Run service");
    assert.equal(typeName("kubernetes:batch/v1:Job"), "Job");
  });
});
