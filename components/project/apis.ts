import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * Enables Google APIs a component needs, as children of that component. They stay enabled on destroy:
 * other workloads in the project may rely on them, and disabling an API can break them.
 */
export function enableApis(
  parent: pulumi.Resource,
  name: string,
  project: string,
  apis: readonly string[],
): gcp.projects.Service[] {
  return apis.map(
    (api) =>
      new gcp.projects.Service(
        `${name}-${api.split(".")[0]}-api`,
        { project, service: api, disableOnDestroy: false, disableDependentServices: false },
        { parent },
      ),
  );
}
