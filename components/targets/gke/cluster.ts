import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { refuse } from "../../config/component-args";
import { apisFor, type ProjectApis } from "../../project/apis";
import { repositoryReader, type RepositoryRef } from "../../workload/image-pull";
import { gkeClusterApis } from "./apis";
import { KEDA_NAMESPACE, httpAddOnChartArgs, kedaChartArgs } from "./keda";
import { clusterProblems, extraPoolProblems, type ClusterPlacement, type PlacementPool } from "./rules";
import { resolvePool, type GpuRequest, type PoolArgs, type ResolvedGke } from "./sizing";
import {
  GPU_COMPUTE_CLASS,
  NODE_ROLES,
  clusterArgs,
  clusterNames,
  computeClassArgs,
  computeClassName,
  extraPoolArgs,
  gpuPoolArgs,
  kubeconfig,
  natArgs,
  networkArgs,
  nodeServiceAccountArgs,
  routerArgs,
  subnetArgs,
  systemPoolArgs,
} from "./cluster-spec";

export interface GpuClusterArgs {
  /** The project to create the cluster in. Required. */
  readonly project: string;
  /** The region of the subnet, Cloud Router and Cloud NAT (gcp:region). Required. */
  readonly region: string;
  /** GKE settings with every default resolved (resolveGke). Required. */
  readonly gke: ResolvedGke;
  /** GPUs per node of the GPU pool (the service's GPUs per pod). Default none: no GPU pool is created. */
  readonly gpu?: GpuRequest | undefined;
  /**
   * More node pools beside the system pool and the `gpu` pool, for services of other GPU types and counts or for CPU
   * services that should not share the system pool: each its own GKE node pool, taint, label and ComputeClass
   * (`runway-<name>`), checked with the stack path's rules before anything is registered (refused as `pools[i].…`).
   * KubernetesService puts a GPU service on a pool of its GPU type (the one with its GPU count first) and a CPU
   * service on the first CPU pool, else on the system pool. Default none: the system pool and the `gpu` pool only.
   */
  readonly pools?: readonly PoolArgs[] | undefined;
  /** Labels on the cluster and on the nodes' VMs and disks. Default none. */
  readonly labels?: Record<string, string>;
  /** The program's enabled APIs. Default: the component enables container, compute and iam itself. */
  readonly apis?: ProjectApis;
  /**
   * The base of the names in the project: the cluster (cut to 40 characters), network, subnet, router, NAT and the
   * nodes' account. Lowercase letters, digits and hyphens, starting with a letter. Default: `name`.
   */
  readonly physicalName?: string;
}

/**
 * A hardened GKE Standard cluster in its own VPC, with a small system pool and, when the service has GPUs, an
 * autoscaled GPU pool, plus any further GPU and CPU pools (`pools`); and a Kubernetes provider that reaches it.
 * Nothing in it belongs to one service, so several services can deploy onto the same cluster through `provider`, each
 * on the pool that matches it (KubernetesService `cluster`).
 *
 * `name` must be lowercase letters, digits and hyphens, starting with a letter: it names the cluster (cut to 40
 * characters) and its network resources in Google Cloud.
 */
export class GpuCluster extends pulumi.ComponentResource {
  /** The GKE cluster's name. */
  public readonly clusterName: pulumi.Output<string>;
  /** The GKE cluster's id (`projects/…/locations/…/clusters/…`), which a service's disk BackupPlan names. */
  public readonly clusterId: pulumi.Output<string>;
  /** A kubeconfig for the cluster's DNS endpoint using gke-gcloud-auth-plugin (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for the cluster; resources using it wait for every node pool. */
  public readonly provider: k8s.Provider;
  /** The email of the nodes' service account, e.g. for granting it read access to an image repository. */
  public readonly nodeServiceAccountEmail: pulumi.Output<string>;
  /** The GPU node pool; undefined without a GPU. */
  public readonly gpuPool?: gcp.container.NodePool;
  /** The system node pool. */
  public readonly systemPool: gcp.container.NodePool;
  /** The cluster's zone or region. */
  public readonly location: string;
  /** The pools services are placed on, for checking a service against them (KubernetesService `cluster`). */
  public readonly placement: ClusterPlacement;
  /** KEDA and its HTTP add-on, which every service's scaling objects wait for (their CRDs come with them). */
  public readonly addons: pulumi.Resource[];
  /** The GPU pool's ComputeClass (cluster-spec.ts computeClassArgs); undefined without a GPU. */
  public readonly computeClass?: k8s.apiextensions.CustomResource;
  /** The node pools of GpuClusterArgs.pools, by pool name. */
  public readonly pools: Readonly<Record<string, gcp.container.NodePool>>;
  private readonly baseName: string;
  private readonly pullGrants = new Map<string, pulumi.Resource>();

  constructor(name: string, args: GpuClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const extras = (args.pools ?? []).map((pool) => ({
      args: pool,
      resolved: resolvePool(args.gke, pool, args.region),
    }));
    const problems = [
      ...clusterProblems(args.gke, args.gpu, args.region),
      ...extraPoolProblems(args.gke, args.gpu, extras, args.region),
    ];
    if (problems.length > 0) refuse("GpuCluster", name, problems);
    super("runway:index:GpuCluster", name, {}, opts);
    this.baseName = name;
    const { project, region, gke, labels } = args;
    const names = clusterNames(args.physicalName ?? name);
    const apis = apisFor(this, name, project, gkeClusterApis(gke), args.apis);
    // Names are fixed, so a replacement must delete the old resource before creating the new one.
    const named = { parent: this, dependsOn: apis, deleteBeforeReplace: true };

    const network = new gcp.compute.Network(`${name}-network`, networkArgs(project, names), named);
    const subnet = new gcp.compute.Subnetwork(`${name}-subnet`, subnetArgs(project, region, names, network.id), named);
    if (gke.privateNodes) {
      const router = new gcp.compute.Router(`${name}-router`, routerArgs(project, region, names, network.id), named);
      new gcp.compute.RouterNat(`${name}-nat`, natArgs(project, region, names, router.name), named);
    }

    const account = new gcp.serviceaccount.Account(`${name}-nodes-sa`, nodeServiceAccountArgs(project, names), {
      parent: this,
      dependsOn: apis,
    });
    const grants = NODE_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-nodes-${role.replace(/^roles\//, "").replace(".", "-")}`,
          { project, role, member: pulumi.interpolate`serviceAccount:${account.email}` },
          { parent: this },
        ),
    );

    // Nodes, the default pool's included, log and report metrics as soon as they boot, so the grants come first.
    const cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      clusterArgs(
        project,
        gke,
        names,
        { network: network.id, subnetwork: subnet.id, nodeServiceAccount: account.email },
        labels,
      ),
      // The default pool's nodeConfig only matters while that pool exists; a later change to it would otherwise
      // replace the whole cluster (Fabric gke-cluster-standard ignores node_config for the same reason).
      // With deletion protection Pulumi protects it too, so `pulumi destroy` refuses at preview instead of deleting
      // the pools and everything else first and then failing on the cluster (the provider checks only in Delete).
      {
        ...named,
        dependsOn: [...apis, ...grants],
        ignoreChanges: ["nodeConfig"],
        ...(gke.deletionProtection && { protect: true }),
      },
    );

    const poolOptions = { parent: this, deleteBeforeReplace: true };
    this.systemPool = new gcp.container.NodePool(
      `${name}-system-pool`,
      systemPoolArgs(project, gke, cluster.name, account.email, labels),
      // initialNodeCount cannot change in place; once the pool exists the autoscaler owns the node count.
      { ...poolOptions, ignoreChanges: ["initialNodeCount"] },
    );
    if (args.gpu) {
      // As for the system pool.
      this.gpuPool = new gcp.container.NodePool(
        `${name}-gpu-pool`,
        gpuPoolArgs(project, gke, args.gpu, cluster.name, account.email, labels),
        { ...poolOptions, ignoreChanges: ["initialNodeCount"] },
      );
    }
    // As for the GPU pool; `${name}-gpu-pool` stays the name of the `gpu` pool.
    const extraPools = extras.map(
      ({ resolved }) =>
        new gcp.container.NodePool(
          `${name}-${resolved.name}-pool`,
          extraPoolArgs(project, gke, resolved, cluster.name, account.email, labels),
          { ...poolOptions, ignoreChanges: ["initialNodeCount"] },
        ),
    );
    this.pools = Object.fromEntries(extras.map(({ resolved }, i) => [resolved.name, extraPools[i]!]));
    const nodePools = [this.systemPool, ...(this.gpuPool ? [this.gpuPool] : []), ...extraPools];

    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.controlPlaneEndpointsConfig]).apply(([clusterName, endpoints]) =>
        kubeconfig({
          project,
          location: gke.location,
          clusterName,
          dnsEndpoint: endpoints.dnsEndpointConfig.endpoint,
        }),
      ),
    );
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      // Every Kubernetes object waits for every pool: GPU pods would otherwise sit Pending while the GPU pool is created.
      { parent: this, dependsOn: nodePools },
    );

    // Scale to zero and request-based scaling for every service on the cluster (keda.ts); both charts run on the
    // untainted system pool.
    const k8sOpts = { parent: this, provider: this.provider };
    const kedaNamespace = new k8s.core.v1.Namespace(`${name}-keda`, { metadata: { name: KEDA_NAMESPACE } }, k8sOpts);
    const keda = new k8s.helm.v4.Chart(`${name}-keda`, kedaChartArgs(kedaNamespace.metadata.name), k8sOpts);
    const httpAddOn = new k8s.helm.v4.Chart(`${name}-keda-http`, httpAddOnChartArgs(kedaNamespace.metadata.name), {
      ...k8sOpts,
      dependsOn: [keda],
    });
    this.addons = [keda, httpAddOn];
    // Shortens how long an empty GPU node stays billed (runway:gke.gpuPool.scaleDownDelayMinutes); GKE installs the
    // CRD itself, so nothing else has to come first. Cluster-scoped, so it has no namespace.
    if (this.gpuPool) {
      this.computeClass = new k8s.apiextensions.CustomResource(`${name}-gpu-class`, computeClassArgs(gke), k8sOpts);
    }
    for (const { resolved } of extras) {
      new k8s.apiextensions.CustomResource(
        `${name}-${resolved.name}-class`,
        computeClassArgs(gke, resolved.name),
        k8sOpts,
      );
    }

    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.nodeServiceAccountEmail = account.email;
    this.location = gke.location;
    const placed: PlacementPool[] = [
      { name: "system" },
      ...(args.gpu
        ? [{ name: "gpu", gpu: args.gpu, computeClass: GPU_COMPUTE_CLASS, sharing: gke.gpuPool.sharing }]
        : []),
      ...extras.map(({ resolved }, index) => ({
        name: resolved.name,
        gpu: resolved.gpu,
        computeClass: computeClassName(resolved.name),
        index,
        resolved,
      })),
    ];
    this.placement = { settings: gke, gpu: args.gpu, pools: placed };
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      nodeServiceAccountEmail: this.nodeServiceAccountEmail,
      location: this.location,
    });
  }

  /**
   * Makes the nodes' account a reader of `repository`, once for every service on the cluster that pulls from it: a
   * child of the cluster named `<cluster>-nodes-reader-<project>-<location>-<repository>`. One grant per repository,
   * because IAM members are not counted: removing one of several grants of the same role would take the role from
   * the nodes for every service. KubernetesService asks for it when it pulls with the cluster's node account by
   * default (no `imagePullServiceAccount`).
   */
  public imagePullGrant(repository: RepositoryRef & { readonly name: string }): pulumi.Resource {
    const key = `${repository.project}-${repository.location}-${repository.name}`;
    const existing = this.pullGrants.get(key);
    if (existing) return existing;
    const grant = repositoryReader(
      this,
      `${this.baseName}-nodes-reader-${key}`,
      repository,
      pulumi.interpolate`serviceAccount:${this.nodeServiceAccountEmail}`,
    );
    this.pullGrants.set(key, grant);
    return grant;
  }
}
