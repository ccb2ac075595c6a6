import type { TargetModule } from "../target";
import { gkeClusterApis, gkeServiceApis } from "./apis";
import { gkeCost } from "./cost";
import { gkeDifferences } from "./differences";
import { gkeProblems } from "./rules";
import { resolveGke } from "./sizing";
import { gkeKeySettings } from "./summary";

export const gkeTarget: TargetModule<"gke"> = {
  title: "GKE",
  // An invalid runway:gke would make its defaults look chosen; its rules wait until it parses.
  problems: ({ service, gke, region, invalidSections, image }) =>
    invalidSections.includes("gke") ? [] : gkeProblems({ service, gke, region, image }),
  resolve: ({ service, gke, region, protect }) => resolveGke(service, gke, region, protect),
  differences: gkeDifferences,
  apis: (service, settings) => [...gkeClusterApis(settings), ...gkeServiceApis(service)],
  cost: gkeCost,
  keySettings: gkeKeySettings,
};
