import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  END_MARKER,
  START_MARKER,
  configKeys,
  configReference,
  readmeConfigReference,
  withConfigReference,
} from "../../tools/config-reference";

describe("the config reference generator", () => {
  it("writes a row per key, nested keys after their parent, with the default and where it applies", () => {
    const keys = configKeys({
      runway: z.strictObject({
        protect: z.boolean().default(false).meta({ description: "Protect it." }),
        gke: z
          .strictObject({
            spot: z.boolean().default(false).meta({ description: "Spot VMs." }),
            pools: z
              .array(z.strictObject({ name: z.string().meta({ description: "A | name." }) }))
              .default([])
              .meta({ description: "Pools." }),
          })
          .optional()
          .meta({ description: "GKE-only settings.", defaultText: "none" }),
        service: z
          .strictObject({
            readyPath: z.string().optional().meta({ description: "Readiness.", appliesTo: "gke", defaultText: "x" }),
          })
          .meta({ description: "The service." }),
      }),
    });
    assert.deepEqual(
      keys.map((k) => [k.key, k.default, k.appliesTo]),
      [
        ["runway:protect", "`false`", "both"],
        ["runway:gke", "none", "gke"],
        ["runway:gke.spot", "`false`", "gke"],
        ["runway:gke.pools", "`[]`", "gke"],
        ["runway:gke.pools[].name", "required", "gke"],
        ["runway:service", "required", "both"],
        ["runway:service.readyPath", "x", "gke"],
      ],
    );
    assert.match(configReference(keys), /^\| `runway:gke.pools\[\].name` \| required \| gke \| A \\\| name. \|$/m);
  });

  const refused: [string, z.ZodType, RegExp][] = [
    ["a key without a description", z.strictObject({ a: z.string() }), /runway:a: no description/],
    [
      "an optional key without defaultText",
      z.strictObject({ a: z.string().optional().meta({ description: "A." }) }),
      /runway:a: an optional key needs defaultText/,
    ],
    [
      "a structured default without defaultText",
      z.strictObject({
        a: z
          .strictObject({ b: z.number().meta({ description: "B." }) })
          .default({ b: 1 })
          .meta({ description: "A." }),
      }),
      /runway:a: a structured default needs defaultText/,
    ],
    [
      "defaultText restating a static default",
      z.strictObject({ a: z.number().default(1).meta({ description: "A.", defaultText: "1" }) }),
      /runway:a: its default 1 is static/,
    ],
    [
      "an appliesTo its namespace contradicts",
      z.strictObject({
        cloudrun: z
          .strictObject({ a: z.number().meta({ description: "A.", appliesTo: "gke" }) })
          .meta({ description: "C." }),
      }),
      /runway:cloudrun.a: appliesTo "gke"/,
    ],
  ];
  for (const [what, schema, expected] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(() => configKeys({ runway: schema }), expected);
    });
  }

  it("replaces only what stands between the markers", () => {
    const readme = `# x\n\nintro\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## next\n`;
    const updated = withConfigReference(readme, "| new |\n");
    assert.equal(updated, `# x\n\nintro\n\n${START_MARKER}\n\n| new |\n\n${END_MARKER}\n\n## next\n`);
    assert.equal(readmeConfigReference(updated), "| new |\n");
    assert.equal(withConfigReference(updated, "| new |\n"), updated);
  });

  it("refuses a README without the markers", () => {
    assert.throws(() => withConfigReference("# x\n", "| new |\n"), /needs <!-- config-reference:start -->/);
  });
});
