import type { TargetModule } from "../target";
import { cloudRunApis } from "./apis";
import { cloudRunCost } from "./cost";
import { cloudRunProblems } from "./rules";
import { resolveCloudRun } from "./settings";
import { cloudRunKeySettings } from "./summary";

export const cloudRunTarget: TargetModule<"cloudrun"> = {
  title: "Cloud Run",
  problems: ({ service, cloudrun, region }) => cloudRunProblems({ service, cloudrun, region }),
  resolve: ({ service, cloudrun, protect }) => resolveCloudRun(service, cloudrun, protect),
  apis: cloudRunApis,
  differences: (service) =>
    service.readyPath
      ? [
          `service.readyPath ${service.readyPath} is not probed: Cloud Run's readiness probes are Preview, and it stops sending requests to an instance it shuts down`,
        ]
      : [],
  cost: cloudRunCost,
  keySettings: cloudRunKeySettings,
};
