import type { TargetModule } from "../target";
import { cloudRunApis } from "./apis";
import { cloudRunCost } from "./cost";
import { cloudRunDifferences } from "./differences";
import { cloudRunProblems } from "./rules";
import { resolveCloudRun } from "./settings";
import { cloudRunKeySettings } from "./summary";

export const cloudRunTarget: TargetModule<"cloudrun"> = {
  title: "Cloud Run",
  problems: ({ service, cloudrun, region }) => cloudRunProblems({ service, cloudrun, region }),
  resolve: ({ service, cloudrun, protect }) => resolveCloudRun(service, cloudrun, protect),
  apis: cloudRunApis,
  differences: cloudRunDifferences,
  cost: cloudRunCost,
  keySettings: cloudRunKeySettings,
};
