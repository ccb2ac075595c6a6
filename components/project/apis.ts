import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface ProjectApisArgs {
  /** The project to enable the APIs in. Required. */
  readonly project: string;
  /** Service names such as "run.googleapis.com"; each is enabled once, whatever the order or repeats. Required. */
  readonly apis: readonly string[];
  /**
   * Parents each API's resource had before it moved here (a resource or its URN), so existing stacks keep
   * its state instead of replacing it. Default none.
   */
  readonly previousParents?: Readonly<Record<string, readonly (pulumi.Resource | pulumi.Input<string>)[]>>;
}

/**
 * Cloud Resource Manager, which every ProjectApis enables first: the provider reads each
 * `google_project_service` by calling projects.get, and project IAM members use the API too; new projects do
 * not have it enabled.
 */
export const RESOURCE_MANAGER_API = "cloudresourcemanager.googleapis.com";

/** The logical name of an API's resource: `<name>-run-api` for run.googleapis.com. */
export function apiResourceName(name: string, api: string): string {
  return `${name}-${api.split(".")[0]}-api`;
}

/**
 * The Google APIs a program needs, enabled in one place, each once, Cloud Resource Manager
 * (RESOURCE_MANAGER_API) always and before the others. They stay enabled on destroy: other
 * workloads in the project may rely on them, and disabling an API can break them.
 */
export class ProjectApis extends pulumi.ComponentResource {
  /** The enabled services, for resources that must wait for them. */
  public readonly services: readonly gcp.projects.Service[];
  private readonly byApi: ReadonlyMap<string, gcp.projects.Service>;

  constructor(name: string, args: ProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("runway:index:ProjectApis", name, {}, opts);
    const enable = (api: string, dependsOn: pulumi.Resource[]) =>
      new gcp.projects.Service(
        apiResourceName(name, api),
        { project: args.project, service: api, disableOnDestroy: false, disableDependentServices: false },
        { parent: this, dependsOn, aliases: (args.previousParents?.[api] ?? []).map((parent) => ({ parent })) },
      );
    // Resource Manager first, always: reading any other API's resource needs it.
    const manager = enable(RESOURCE_MANAGER_API, []);
    const apis = [...new Set(args.apis)].filter((api) => api !== RESOURCE_MANAGER_API).sort();
    const byApi = new Map([
      [RESOURCE_MANAGER_API, manager],
      ...apis.map((api) => [api, enable(api, [manager])] as const),
    ]);
    this.services = [...byApi.values()];
    this.byApi = byApi;
    this.registerOutputs({ services: this.services.map((service) => service.service) });
  }

  /** The resources enabling `apis`, so a resource waits for exactly the APIs it uses; throws if one is not enabled here. */
  public servicesFor(apis: readonly string[]): gcp.projects.Service[] {
    return apis.map((api) => {
      const service = this.byApi.get(api);
      if (!service) throw new pulumi.RunError(`ProjectApis does not enable ${api}; add it to its apis`);
      return service;
    });
  }
}

/**
 * The resources enabling the APIs a component needs: from the program's shared ProjectApis when it passes
 * one, else from the component's own (its child, aliased to the URNs those APIs had as its direct children).
 */
export function apisFor(
  parent: pulumi.Resource,
  name: string,
  project: string,
  apis: readonly string[],
  shared: ProjectApis | undefined,
): gcp.projects.Service[] {
  const previousParents = Object.fromEntries(apis.map((api) => [api, [parent]]));
  return (shared ?? new ProjectApis(name, { project, apis, previousParents }, { parent })).servicesFor(apis);
}
