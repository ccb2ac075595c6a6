import type { Deployer } from "../deploy";
import { CloudRunService } from "./service";

export const deployCloudRun: Deployer<"cloudrun"> = (parent, name, args) => {
  const { project, region, service, image, repository, apis, decision, physicalName } = args;
  const run = new CloudRunService(
    name,
    { project, region, service, image, repository, apis, decision, physicalName },
    { parent },
  );
  return { url: run.url, serviceAccountEmail: run.serviceAccountEmail, tags: run.tags };
};
