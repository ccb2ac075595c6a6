import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { refuse, serviceArg } from "../../config/component-args";
import type { PodSecurity, ServiceInput } from "../../config/schema";
import { apisFor, type ProjectApis } from "../../project/apis";
import { workloadAccount } from "../../workload/account";
import { pulledFrom, repositoryReader, type RepositoryRef } from "../../workload/image-pull";
import { secretIds } from "../../workload/contract";
import { stableImage, trafficSplit, type ReleaseTags } from "../../workload/release";
import { serviceProblems } from "../../workload/rules";
import { gkeServiceApis } from "./apis";
import { gkeEventProblems, kubernetesEvents } from "./events";
import type { GpuCluster } from "./cluster";
import {
  defaultServing,
  entryServiceArgs,
  entryServiceName,
  interceptorRouteArgs,
  scaledObjectArgs,
  type ServingSettings,
} from "./keda";
import { gkeServiceProblems, podMachineType, poolFor } from "./rules";
import { regionOf } from "./sizing";
import {
  backupPlanArgs,
  bucketGrants,
  denyIngressPolicyArgs,
  diskBackup,
  deploymentArgs,
  interceptorIngressPolicyArgs,
  namespaceArgs,
  podDisruptionBudgetArgs,
  podSecretMounts,
  secretProviderClassArgs,
  serviceAccountArgs,
  serviceArgs,
  serviceDiskTypes,
  statefulSetArgs,
  storageClassArgs,
  kubernetesPrincipal,
  loadBalancerAnnotations,
  objectLabels,
  releaseTags,
  serviceHosts,
  serviceUrl,
  tagHosts,
  workloadIdentityMember,
  type GpuSharing,
} from "./workload-spec";

export interface KubernetesServiceArgs {
  /** The project of the service account and of the cluster's Workload Identity pool. Required. */
  readonly project: string;
  /** The service description, as in runway:service. Required. */
  readonly service: ServiceInput;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /**
   * The runway cluster to deploy onto: its provider is used, the service goes on the pool that matches it (a pool of
   * its GPU type and count; without a GPU the cluster's first CPU pool, else the system pool) and is checked against
   * that pool (GPU type, node fit, node count) before anything is registered. Default: none (give `provider`).
   */
  readonly cluster?: GpuCluster;
  /** The provider of the cluster to deploy into; every Kubernetes object uses it. Default: the cluster's. */
  readonly provider?: k8s.Provider;
  /** The base of the GCP account's id (`<physicalName>-gke`), which must be unique in the project. Default: service.name. */
  readonly physicalName?: string;
  /** The namespace runway creates for the service's objects. Default: service.name. */
  readonly namespace?: string;
  /** The image's Artifact Registry repository, whose reader the nodes' account becomes. Default: parsed from a string `image`. */
  readonly repository?: RepositoryRef | undefined;
  /**
   * Email of the nodes' GCP service account. On GKE the kubelet pulls images with the node's credentials,
   * not the pod's, so this account is made reader of `repository` by a grant of this service. Default: the cluster's
   * node account, made reader once for every service on the cluster (GpuCluster.imagePullGrant), else none.
   */
  readonly imagePullServiceAccount?: pulumi.Input<string>;
  /**
   * The GPU node pool's sharing, which pods must select. Default: that of the cluster's pool the service runs on (only
   * its `gpu` pool shares), else none (whole GPUs).
   */
  readonly gpuSharing?: GpuSharing | null;
  /** The program's enabled APIs. Default: the component enables iam (and secretmanager) itself. */
  readonly apis?: ProjectApis;
  /**
   * Cold start and scale-down, as runway:gke.coldStartSeconds, coldStartResponse and scaleDownSeconds. Default: the
   * cluster's settings, else a 1800 s hold with a GPU (600 s without) and scale-down after 300 s.
   */
  readonly serving?: ServingSettings;
  /**
   * The Pod Security Standard the namespace enforces, as runway:gke.podSecurity: "baseline" lets a root image
   * run, which "restricted" refuses at pod start. Default "restricted" (not the cluster's: it is per service).
   */
  readonly podSecurity?: PodSecurity;
  /**
   * Protect the disks' StorageClasses and their BackupPlan from `pulumi destroy`, as runway:protect. Default: the
   * cluster's deletion protection (runway:gke.deletionProtection, else runway:protect), else false.
   */
  readonly protect?: boolean;
}

/**
 * The service on a GKE cluster: its own namespace, a Kubernetes service account acting through Workload
 * Identity as a dedicated least-privilege GCP service account (logs, metrics, exactly the secrets it reads,
 * its image repository), secrets mounted from Secret Manager by reference, a hardened Deployment, a
 * LoadBalancer Service, an HPA, a PodDisruptionBudget and NetworkPolicies that let only the interceptor in. With
 * service.release.stable the stable image runs beside it in a Deployment of its own, with its own Service,
 * PodDisruptionBudget, NetworkPolicy, route and ScaledObject. With disk volumes a StatefulSet replaces the Deployment,
 * each replica with its own disks from StorageClasses that retain them, and a Backup for GKE plan when they have a
 * backup. The objects come from workload-spec.ts and keda.ts.
 */
export class KubernetesService extends pulumi.ComponentResource {
  /** http://<load balancer address>; "" until the load balancer has one. */
  public readonly url: pulumi.Output<string>;
  /** The email of the GCP service account the pods act as. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The namespace of the service's objects. */
  public readonly namespace: pulumi.Output<string>;
  /** Each release tag's address: the load balancer's URL and the Host header its route answers. */
  public readonly tags: pulumi.Output<ReleaseTags>;

  constructor(name: string, args: KubernetesServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const service = serviceArg("KubernetesService", name, args.service);
    const placement = args.cluster?.placement;
    const namespaceName = args.namespace ?? service.name;
    const podSecurity = args.podSecurity ?? "restricted";
    const serving = args.serving ?? placement?.settings ?? defaultServing(service);
    const problems = [
      ...serviceProblems(service),
      ...gkeServiceProblems(service, namespaceName, placement, {
        podSecurity,
        coldStartResponse: serving.coldStartResponse,
      }),
      ...gkeEventProblems(service, pulledFrom(args.repository, args.image)),
    ];
    const backup = diskBackup(service);
    if (backup && !args.cluster)
      problems.push({
        path: "cluster",
        message: "is required for a disk backup: its Backup for GKE plan names the cluster",
      });
    if (problems.length > 0) refuse("KubernetesService", name, problems);
    const provider = args.provider ?? args.cluster?.provider;
    if (!provider)
      refuse("KubernetesService", name, [{ path: "provider", message: "is required when no cluster is given" }]);
    super("runway:index:KubernetesService", name, {}, opts);
    const { project } = args;
    const secrets = secretIds(service);
    const apis = apisFor(this, name, project, gkeServiceApis(service), args.apis);

    // The workload's own account gets the same grants as on Cloud Run, so switching target changes no
    // permission of the workload; the image pull itself uses the nodes' account.
    const { account, member, grants } = workloadAccount(this, name, {
      project,
      serviceName: args.physicalName ?? service.name,
      role: "gke",
      resourceName: `${name}-gsa`,
      displayName: `GKE service ${service.name} (runway)`,
      secrets,
      apis,
    });
    const repository = pulledFrom(args.repository, args.image);
    if (repository && args.imagePullServiceAccount) {
      const member = pulumi.interpolate`serviceAccount:${args.imagePullServiceAccount}`;
      grants.push(repositoryReader(this, `${name}-node-repo-reader`, repository, member));
    } else if (repository && args.cluster) {
      // Services sharing the cluster share its nodes' grant on a repository known by name (GpuCluster.imagePullGrant).
      const { name: repositoryName } = repository;
      const member = pulumi.interpolate`serviceAccount:${args.cluster.nodeServiceAccountEmail}`;
      grants.push(
        typeof repositoryName === "string"
          ? args.cluster.imagePullGrant({ ...repository, name: repositoryName })
          : repositoryReader(this, `${name}-node-repo-reader`, repository, member),
      );
    }

    const k8sOpts = { parent: this, provider };
    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      namespaceArgs(service, namespaceName, podSecurity),
      k8sOpts,
    );
    const namespace = ns.metadata.name;
    const ksa = new k8s.core.v1.ServiceAccount(
      `${name}-ksa`,
      serviceAccountArgs(service, namespace, account.email),
      k8sOpts,
    );
    grants.push(
      new gcp.serviceaccount.IAMMember(
        `${name}-workload-identity`,
        {
          serviceAccountId: pulumi.interpolate`projects/${project}/serviceAccounts/${account.email}`,
          role: "roles/iam.workloadIdentityUser",
          member: pulumi
            .all([namespace, ksa.metadata.name])
            .apply(([ns, ksaName]) => workloadIdentityMember(project, ns, ksaName)),
        },
        { parent: this },
      ),
    );
    // The add-on may read secrets as the Kubernetes account rather than through the annotation's GSA; until a real
    // cluster settles which, both may read them (README, "verify on the first real deployment").
    if (secrets.length > 0) {
      const { number } = gcp.organizations.getProjectOutput({ projectId: project }, { parent: this });
      const principal = pulumi
        .all([number, namespace, ksa.metadata.name])
        .apply(([projectNumber, ns, ksaName]) => kubernetesPrincipal(projectNumber, project, ns, ksaName));
      for (const secret of secrets) {
        grants.push(
          new gcp.secretmanager.SecretIamMember(
            `${name}-secret-${secret}-ksa`,
            { project, secretId: secret, role: "roles/secretmanager.secretAccessor", member: principal },
            { parent: this, dependsOn: apis },
          ),
        );
      }
    }

    for (const grant of bucketGrants(service)) {
      grants.push(
        new gcp.storage.BucketIAMMember(
          `${name}-bucket-${grant.volume}`,
          { bucket: grant.bucket, role: grant.role, member },
          { parent: this },
        ),
      );
    }

    // Secret volumes are files of the same class (podSecretMounts), so it exists whenever the pod mounts any secret.
    const secretClass =
      podSecretMounts(service, project).length > 0
        ? [
            new k8s.apiextensions.CustomResource(
              `${name}-secrets`,
              secretProviderClassArgs(service, namespace, project),
              k8sOpts,
            ),
          ]
        : [];

    // Only the interceptor may connect to the pods (workload-spec.ts, "Network policies"), each release's by a policy
    // of its own. Every Deployment waits for every policy, so no pod ever serves while it is open to the whole cluster.
    const stable = service.release?.stable;
    const networkPolicies = [
      new k8s.networking.v1.NetworkPolicy(`${name}-deny-ingress`, denyIngressPolicyArgs(service, namespace), k8sOpts),
      new k8s.networking.v1.NetworkPolicy(
        `${name}-from-interceptor`,
        interceptorIngressPolicyArgs(service, namespace),
        k8sOpts,
      ),
      ...(stable
        ? [
            new k8s.networking.v1.NetworkPolicy(
              `${name}-stable-from-interceptor`,
              interceptorIngressPolicyArgs(service, namespace, "stable"),
              k8sOpts,
            ),
          ]
        : []),
    ];

    // Pods start only once they can act as their account, read their secrets and pull their image; without
    // the grants the first rollout would sit in CreateContainerConfigError or ImagePullBackOff until they land.
    // The cluster's pool the service runs on (rules.ts poolFor): its selector, tolerations and sharing.
    const pool = placement && poolFor(service, placement);
    const minutes = `${Math.ceil(serving.coldStartSeconds / 60)}m`;
    const rollout = { customTimeouts: { create: minutes, update: minutes } };
    const pods = {
      service,
      namespace,
      project,
      gpuSharing: args.gpuSharing ?? (service.gpu ? pool?.sharing : null),
      computeClass: pool?.computeClass,
      rolloutDeadlineSeconds: serving.coldStartSeconds,
      podSecurity,
    };
    // The disks' StorageClasses, one per disk type the pods' nodes take (workload-spec.ts storageClassArgs), protected
    // like the rest of the stack's data: they retain the disks.
    const protect = args.protect ?? placement?.settings.deletionProtection ?? false;
    const machineType = placement && podMachineType(service, placement.settings, pool);
    const storageClasses = serviceDiskTypes(service, machineType).map(
      (type) =>
        new k8s.storage.v1.StorageClass(
          `${name}-disk-${type}`,
          storageClassArgs(namespaceName, type, objectLabels(service)),
          {
            ...k8sOpts,
            ...(protect && { protect: true }),
          },
        ),
    );
    const statefulSet = storageClasses.length > 0;
    const podOpts = {
      ...k8sOpts,
      ...rollout,
      dependsOn: [...grants, ksa, ...secretClass, ...networkPolicies, ...storageClasses],
    };
    // Each release runs in pods of its own (selectorLabels), the stable image with the current settings
    // (workload/release.ts). The candidate's objects keep the names they had before releases existed.
    const releases = trafficSplit(service).map((share) => {
      const { release } = share;
      const prefix = release === "stable" ? `${name}-stable` : name;
      const image =
        release === "stable" && stable
          ? pulumi.output(args.image).apply((candidate) => stableImage(stable, candidate))
          : args.image;
      const inCluster = new k8s.core.v1.Service(`${prefix}-service`, serviceArgs(service, namespace, release), k8sOpts);
      // With disks the pods are a StatefulSet's (rules.ts refuses disks with a release, so only the candidate's).
      const workload = statefulSet
        ? new k8s.apps.v1.StatefulSet(
            `${prefix}-statefulset`,
            statefulSetArgs({
              ...pods,
              image,
              release,
              serviceName: inCluster.metadata.name,
              namespaceName,
              machineType,
            }),
            podOpts,
          )
        : new k8s.apps.v1.Deployment(`${prefix}-deployment`, deploymentArgs({ ...pods, image, release }), podOpts);
      new k8s.policy.v1.PodDisruptionBudget(
        `${prefix}-pdb`,
        podDisruptionBudgetArgs(service, namespace, release),
        k8sOpts,
      );
      return { ...share, prefix, workload, inCluster };
    });

    // Clients reach the interceptor's load balancer; a route sends the requests whose Host it lists to its release's
    // Service, and the ScaledObject, created after the route, scales the Deployment on what the interceptor counts.
    // A LoadBalancer Service is ready only once it has an address (@pulumi/kubernetes core/v1 Service doc).
    const addons = { ...k8sOpts, dependsOn: args.cluster?.addons ?? [] };
    const entryName = namespace.apply((ns) => entryServiceName(service, ns));
    const entry = new k8s.core.v1.Service(
      `${name}-entry`,
      entryServiceArgs(entryName, loadBalancerAnnotations(service), objectLabels(service)),
      addons,
    );
    // The release with all the traffic answers the address, and a tag `TAG---<address>` on its release's route. GKE
    // splits no percentage (rules.ts releaseSplitProblems), so the other release answers at most its tag.
    const routes: pulumi.Resource[] = [];
    for (const { release, percent, tag, prefix, workload, inCluster } of releases) {
      const route = new k8s.apiextensions.CustomResource(
        `${prefix}-route`,
        interceptorRouteArgs({
          service,
          serving,
          namespace,
          release,
          ...(percent === 100 && { hosts: entry.status.apply(serviceHosts) }),
          ...(tag && { tagHosts: entry.status.apply((status) => tagHosts(tag, status)) }),
          labels: objectLabels(service, release),
        }),
        { ...addons, dependsOn: [...addons.dependsOn, inCluster] },
      );
      new k8s.apiextensions.CustomResource(
        `${prefix}-scaler`,
        scaledObjectArgs({ service, serving, namespace, release, labels: objectLabels(service, release), statefulSet }),
        { ...k8sOpts, dependsOn: [route, workload] },
      );
      routes.push(route);
    }
    if (service.events.length > 0 && repository) {
      const hosts = entry.status.apply(serviceHosts);
      const physicalName = args.physicalName ?? service.name;
      kubernetesEvents(this, name, {
        project,
        physicalName,
        service,
        namespace,
        repository,
        hosts,
        provider,
        apis,
        routes,
      });
    }

    if (backup && args.cluster) {
      new gcp.gkebackup.BackupPlan(
        `${name}-backup`,
        backupPlanArgs({
          physicalName: args.physicalName ?? service.name,
          project,
          region: regionOf(args.cluster.location),
          clusterId: args.cluster.clusterId,
          namespace,
          schedule: backup.schedule,
          retainDays: backup.retainDays,
        }),
        { parent: this, dependsOn: [...apis, ...releases.map((r) => r.workload)], ...(protect && { protect: true }) },
      );
    }

    this.url = entry.status.apply(serviceUrl);
    this.serviceAccountEmail = account.email;
    this.namespace = namespace;
    const tags = releases.flatMap((r) => (r.tag ? [r.tag] : []));
    this.tags = entry.status.apply((status) => releaseTags(tags, status));
    this.registerOutputs({
      url: this.url,
      serviceAccountEmail: this.serviceAccountEmail,
      namespace: this.namespace,
      tags: this.tags,
    });
  }
}
