/**
 * The policy pack. `pulumi preview --policy-pack policy` (README, "Guardrails: the policy pack") runs this file;
 * PolicyPack reads its version from ./package.json and serves the policies to the engine
 * (https://www.pulumi.com/docs/discovery-governance/policy/cli/, "Running policies locally").
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("runway-guardrails", {
  // Guardrails block: a violation fails `pulumi preview` and stops `pulumi up`. Pack config can lower any policy
  // to "advisory" or "disabled" (policies.ts).
  enforcementLevel: "mandatory",
  policies: POLICIES,
});
