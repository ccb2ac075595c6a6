import type { Deployer } from "../deploy";
import { CloudRunService } from "./service";

export const deployCloudRun: Deployer<"cloudrun"> = (parent, name, args) => {
  const { project, region, service, image, repository, apis, decision } = args;
  const run = new CloudRunService(name, { project, region, service, image, repository, apis, decision }, { parent });
  return { url: run.url, serviceAccountEmail: run.serviceAccountEmail };
};
