/**
 * The guardrails as small pure functions over a resource's type token and properties, so that tests run them on
 * recorded inventories (the mock runtime does not run policies) and policies.ts only wires them into CrossGuard.
 * Each returns the violation messages; none means the resource passes or the rule does not apply to its type.
 *
 * Properties are what CrossGuard hands a policy: a resource's inputs (validateResource) or its state
 * (validateStack), keyed as in the resource's args, so a GCP resource's are its args unwrapped and a Kubernetes
 * object's are the manifest. During `pulumi preview` a value the provider computes is unknown, and reading it throws
 * @pulumi/policy's UnknownValueError, which the SDK reports as an advisory "can't run policy during preview"
 * (server.js, makeAnalyzeRpcFun); these functions read only what they need so that happens as rarely as possible.
 */

/** A resource's properties: plain JSON-like values. */
export type Props = Readonly<Record<string, unknown>>;

/** One resource of a stack, as a stack policy sees it. */
export interface StackResource {
  readonly type: string;
  readonly urn: string;
  readonly props: Props;
}

/** A violation a stack policy reports against one resource. */
export interface StackViolation {
  readonly urn: string;
  readonly message: string;
}

export const TYPES = {
  cloudRunService: "gcp:cloudrunv2/service:Service",
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  kubernetesService: "kubernetes:core/v1:Service",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
} as const;

// ---------------------------------------------------------------------------------------------------------
// Reading properties

function record(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A property path, e.g. at(props, "template", "scaling"); undefined where any step is missing. */
function at(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) node = record(node)?.[key];
  return node;
}

/** The name a GCP resource has in Google Cloud. Pulumi may auto-name it, so a missing one is said so. */
function gcpName(props: Props): string {
  return text(props.name) ?? "(auto-named)";
}

/** A Kubernetes object's namespace/name; a missing namespace is the provider's default one. */
function objectRef(props: Props): string {
  const name = text(at(props, "metadata", "name")) ?? "(auto-named)";
  return `${text(at(props, "metadata", "namespace")) ?? "default"}/${name}`;
}

/**
 * The kind in a type token: kubernetes:apps/v1:Deployment → Deployment, gcp:projects/iAMMember:IAMMember → IAMMember.
 */
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

/** The last path segment: IAM resources name their Cloud Run service by name or projects/…/services/NAME. */
function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf("/") + 1);
}

// ---------------------------------------------------------------------------------------------------------
// No public service without an explicit allow

/**
 * Anyone on the internet: allUsers, and allAuthenticatedUsers (any Google account), the two principals IAM calls
 * public (https://cloud.google.com/iam/docs/principal-identifiers).
 */
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

/** The IAM resources that grant a role on one Cloud Run service, and the property that names the service. */
const CLOUD_RUN_IAM: Readonly<Record<string, "name" | "service">> = {
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": "name",
  "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding": "name",
  "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy": "name",
  "gcp:cloudrun/iamMember:IamMember": "service",
  "gcp:cloudrun/iamBinding:IamBinding": "service",
  "gcp:cloudrun/iamPolicy:IamPolicy": "service",
};

/**
 * GKE makes a LoadBalancer Service internal with this annotation; `cloud.google.com/load-balancer-type` is its older
 * spelling, still honoured (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters).
 * Without either the Service gets an external passthrough Network Load Balancer.
 */
const INTERNAL_LB_ANNOTATIONS = ["networking.gke.io/load-balancer-type", "cloud.google.com/load-balancer-type"];

/**
 * Role → members of an IAM resource: a member, a binding, or a policy document (policyData, JSON text). Members are
 * read only when asked for: a member is often a service account's email, which is unknown during a preview, and a
 * rule that needs only the role should not stop there.
 */
function grants(type: string, props: Props): { role: string; members: () => string[] }[] {
  if (/Iam(Member|Binding)$/i.test(type)) {
    const members = () => [text(props.member), ...list(props.members).map(text)].filter((m) => m !== undefined);
    return [{ role: text(props.role) ?? "(no role)", members }];
  }
  if (/IamPolicy$/i.test(type)) {
    const data = text(props.policyData);
    let policy: unknown;
    try {
      policy = data === undefined ? undefined : JSON.parse(data);
    } catch {
      return []; // the provider rejects text that is not a policy
    }
    return list(record(policy)?.bindings).map((binding) => ({
      role: text(at(binding, "role")) ?? "(no role)",
      members: () => list(at(binding, "members")).flatMap((m) => text(m) ?? []),
    }));
  }
  return [];
}

/**
 * What makes a service public, unless `allowed` names it:
 * - a Cloud Run service with the invoker IAM check off (`invokerIamDisabled: true`) whose ingress is not internal-only;
 *   `INGRESS_TRAFFIC_INTERNAL_ONLY` reaches it from the VPC only, like an internal load balancer, so that is not public
 *   (https://cloud.google.com/run/docs/securing/ingress);
 * - any role on a Cloud Run service granted to allUsers or allAuthenticatedUsers;
 * - a Kubernetes LoadBalancer Service without GKE's internal annotation.
 * Entries of `allowed`: a Cloud Run service's name, a Kubernetes Service's namespace/name.
 */
export function publicServiceProblems(type: string, props: Props, allowed: readonly string[]): string[] {
  const allow = new Set(allowed);
  if (type === TYPES.cloudRunService) {
    const name = gcpName(props);
    if (props.invokerIamDisabled !== true || props.ingress === "INGRESS_TRAFFIC_INTERNAL_ONLY" || allow.has(name)) {
      return [];
    }
    // The provider's default ingress admits all traffic.
    const ingress = text(props.ingress) ?? "INGRESS_TRAFFIC_ALL";
    return [
      `Cloud Run service "${name}" lets anyone invoke it (invokerIamDisabled: true, ingress ${ingress}) ` +
        `and is not in allowedPublicServices`,
    ];
  }
  const serviceKey = CLOUD_RUN_IAM[type];
  if (serviceKey) {
    const service = lastSegment(text(props[serviceKey]) ?? "(unknown)");
    if (allow.has(service)) return [];
    return grants(type, props).flatMap(({ role, members }) =>
      members()
        .filter((member) => PUBLIC_MEMBERS.has(member))
        .map(
          (member) =>
            `${kindOf(type)} grants ${role} on Cloud Run service "${service}" to ${member}, and "${service}" is not in ` +
            `allowedPublicServices`,
        ),
    );
  }
  if (type === TYPES.kubernetesService && at(props, "spec", "type") === "LoadBalancer") {
    const annotations = record(at(props, "metadata", "annotations")) ?? {};
    const internal = INTERNAL_LB_ANNOTATIONS.some((key) => annotations[key] === "Internal");
    const ref = objectRef(props);
    if (internal || allow.has(ref)) return [];
    return [
      `LoadBalancer Service "${ref}" gets an external address (no networking.gke.io/load-balancer-type: "Internal" ` +
        `annotation) and is not in allowedPublicServices`,
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// Images by digest

/** A digest reference: `…@sha256:` and 64 lowercase hex (opencontainers/image-spec descriptor.md, "Digests"). */
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Where each Kubernetes workload kind keeps its pod spec. */
const POD_SPEC_PATH: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/**
 * Every image a Cloud Run service or a Kubernetes workload runs must be pinned by digest, so that what was
 * reviewed is what runs and a re-pushed tag changes nothing. Images starting with one of `exempt` may use a tag
 * (third-party charts whose images runway does not choose; policies.ts has the default).
 */
export function imageDigestProblems(type: string, props: Props, exempt: readonly string[]): string[] {
  const problems: string[] = [];
  const check = (owner: string, role: string, container: unknown) => {
    const image = text(at(container, "image"));
    if (image === undefined || DIGEST.test(image) || exempt.some((prefix) => image.startsWith(prefix))) return;
    const name = text(at(container, "name")) ?? "(unnamed)";
    problems.push(`${owner} ${role} "${name}" runs image "${image}", which is not pinned by digest (@sha256:<64 hex>)`);
  };
  if (type === TYPES.cloudRunService) {
    const owner = `Cloud Run service "${gcpName(props)}"`;
    for (const container of list(at(props, "template", "containers"))) check(owner, "container", container);
  }
  const podPath = POD_SPEC_PATH[type];
  if (podPath) {
    const pod = at(props, ...podPath);
    const owner = `${kindOf(type)} "${objectRef(props)}"`;
    for (const container of list(at(pod, "initContainers"))) check(owner, "init container", container);
    for (const container of list(at(pod, "containers"))) check(owner, "container", container);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Dedicated service accounts, no basic roles

/**
 * The Compute Engine default service account, PROJECT_NUMBER-compute@developer.gserviceaccount.com, which Cloud
 * Run revisions and GKE nodes use when none is given and which has the Editor role in many projects
 * (https://cloud.google.com/compute/docs/access/service-accounts#default_service_account). GKE also takes "default".
 */
const DEFAULT_COMPUTE_SA = /^(\d+-compute@developer\.gserviceaccount\.com|default)$/;

function accountProblem(owner: string, field: string, account: unknown): string[] {
  const email = text(account);
  if (email === undefined || email === "") {
    return [`${owner} sets no ${field}, so it runs as the Compute Engine default service account`];
  }
  if (DEFAULT_COMPUTE_SA.test(email)) {
    return [`${owner} runs as the Compute Engine default service account (${field} "${email}")`];
  }
  return [];
}

/**
 * Cloud Run revisions and GKE nodes run as a service account of their own. A cluster's `nodeConfig` is its
 * default pool's, which exists at least while the cluster is created, so it is checked unless the cluster is
 * Autopilot (GKE manages those nodes) or has no nodeConfig and removes its default pool.
 */
export function serviceAccountProblems(type: string, props: Props): string[] {
  if (type === TYPES.cloudRunService) {
    return accountProblem(
      `Cloud Run service "${gcpName(props)}"`,
      "template.serviceAccount",
      at(props, "template", "serviceAccount"),
    );
  }
  if (type === TYPES.nodePool) {
    return accountProblem(
      `Node pool "${gcpName(props)}"`,
      "nodeConfig.serviceAccount",
      at(props, "nodeConfig", "serviceAccount"),
    );
  }
  if (type === TYPES.cluster && props.enableAutopilot !== true) {
    if (props.nodeConfig === undefined && props.removeDefaultNodePool === true) return [];
    return accountProblem(
      `Cluster "${gcpName(props)}"`,
      "nodeConfig.serviceAccount",
      at(props, "nodeConfig", "serviceAccount"),
    );
  }
  return [];
}

/**
 * The basic roles predate IAM and grant thousands of permissions across every service; Google's guidance is not
 * to grant them in production (https://cloud.google.com/iam/docs/roles-overview#basic).
 */
const BASIC_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

/** No IAM member, binding or policy of any Google Cloud resource (project, folder, account, …) grants a basic role. */
export function basicRoleProblems(type: string, props: Props): string[] {
  if (!type.startsWith("gcp:")) return [];
  return grants(type, props)
    .filter(({ role }) => BASIC_ROLES.has(role))
    .map(
      ({ role, members }) =>
        `${kindOf(type)} grants the basic role ${role} to ${members().join(", ") || "(no member)"}`,
    );
}

// ---------------------------------------------------------------------------------------------------------
// GKE hardening (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster)

/**
 * Workload Identity: pods get Google credentials through their Kubernetes service account instead of the node's
 * (hardening guide, "Use Workload Identity Federation for GKE"). A pool with `GCE_METADATA` shows its pods the VM
 * metadata server, and with it the node's credentials. Autopilot always has it on.
 */
export function workloadIdentityProblems(type: string, props: Props): string[] {
  if (type === TYPES.cluster && props.enableAutopilot !== true) {
    const pool = text(at(props, "workloadIdentityConfig", "workloadPool"));
    if (!pool) return [`Cluster "${gcpName(props)}" has no Workload Identity (workloadIdentityConfig.workloadPool)`];
  }
  if ((type === TYPES.cluster || type === TYPES.nodePool) && metadataMode(props) === "GCE_METADATA") {
    const owner = type === TYPES.cluster ? "Cluster" : "Node pool";
    return [
      `${owner} "${gcpName(props)}" shows pods the VM metadata server (workloadMetadataConfig.mode GCE_METADATA)`,
    ];
  }
  return [];
}

function metadataMode(props: Props): unknown {
  return at(props, "nodeConfig", "workloadMetadataConfig", "mode");
}

/**
 * Shielded GKE Nodes and Shielded VM boot checks. Each field is judged against the provider's default: Shielded
 * Nodes and integrity monitoring default to on, so only `false` fails; Secure Boot defaults to off, so it must be
 * `true` (@pulumi/gcp container Cluster and NodePool docs, `enableShieldedNodes`, `shieldedInstanceConfig`).
 */
export function shieldedNodeProblems(type: string, props: Props): string[] {
  const problems: string[] = [];
  const owner = type === TYPES.cluster ? `Cluster "${gcpName(props)}"` : `Node pool "${gcpName(props)}"`;
  if (type === TYPES.cluster) {
    if (props.enableAutopilot === true) return [];
    if (props.enableShieldedNodes === false)
      problems.push(`${owner} turns Shielded Nodes off (enableShieldedNodes: false)`);
    // A cluster without nodeConfig that removes its default pool has no nodes of its own to judge.
    if (props.nodeConfig === undefined && props.removeDefaultNodePool === true) return problems;
  } else if (type !== TYPES.nodePool) {
    return [];
  }
  const shielded = at(props, "nodeConfig", "shieldedInstanceConfig");
  if (at(shielded, "enableSecureBoot") !== true) {
    problems.push(`${owner} does not turn on Secure Boot (nodeConfig.shieldedInstanceConfig.enableSecureBoot: true)`);
  }
  if (at(shielded, "enableIntegrityMonitoring") === false) {
    problems.push(
      `${owner} turns integrity monitoring off (nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring: false)`,
    );
  }
  return problems;
}

/**
 * Private nodes: nodes have internal addresses only (hardening guide, "Restrict network access to the control plane
 * and nodes"). A cluster sets them with `privateClusterConfig.enablePrivateNodes`, which is what runway's
 * cluster-spec.ts sets; a node pool may override it with `networkConfig.enablePrivateNodes`, so only an explicit
 * `false` there fails.
 */
export function privateNodeProblems(type: string, props: Props): string[] {
  if (type === TYPES.cluster && props.enableAutopilot !== true) {
    if (at(props, "privateClusterConfig", "enablePrivateNodes") !== true) {
      return [
        `Cluster "${gcpName(props)}" gives its nodes external addresses (privateClusterConfig.enablePrivateNodes is not true)`,
      ];
    }
  }
  if (type === TYPES.nodePool && at(props, "networkConfig", "enablePrivateNodes") === false) {
    return [
      `Node pool "${gcpName(props)}" gives its nodes external addresses (networkConfig.enablePrivateNodes: false)`,
    ];
  }
  return [];
}

/**
 * In production a cluster keeps deletion protection, which makes the provider refuse to delete it. The provider
 * defaults it to true (@pulumi/gcp container Cluster doc, `deletionProtection`), so only `false` fails.
 */
export function deletionProtectionProblems(type: string, props: Props, production: boolean): string[] {
  if (!production || type !== TYPES.cluster || props.deletionProtection !== false) return [];
  return [`Cluster "${gcpName(props)}" has deletionProtection: false in a production stack`];
}

/** The stack of a URN, urn:pulumi:STACK::PROJECT::TYPE::NAME (https://www.pulumi.com/docs/iac/concepts/urns/). */
export function stackOfUrn(urn: string): string {
  return urn.startsWith("urn:pulumi:") ? (urn.slice("urn:pulumi:".length).split("::")[0] ?? "") : "";
}

/** Whether a stack is production: an explicit `production` wins, otherwise its name is in `productionStacks`. */
export function isProduction(stack: string, config: { productionStacks: readonly string[]; production?: boolean }) {
  return config.production ?? config.productionStacks.includes(stack);
}

// ---------------------------------------------------------------------------------------------------------
// GPUs per service

const GPU = "nvidia.com/gpu";

/** Cloud Run's maximum instances when none is set (https://cloud.google.com/run/docs/configuring/max-instances). */
export const CLOUD_RUN_DEFAULT_MAX_INSTANCES = 100;
/** A ScaledObject's maxReplicaCount when none is set (https://keda.sh/docs/2.20/reference/scaledobject-spec/). */
export const KEDA_DEFAULT_MAX_REPLICAS = 100;

function count(value: unknown): number {
  const n = typeof value === "number" ? value : Number(text(value));
  return Number.isFinite(n) ? n : 0;
}

/** GPUs of one container: its limit, or its request (for extended resources the two must be equal). */
function containerGpus(container: unknown): number {
  return count(at(container, "resources", "limits", GPU) ?? at(container, "resources", "requests", GPU));
}

/**
 * GPUs one pod holds: init containers run one at a time before the others, so a pod needs the larger of the
 * biggest init container and the sum of the app containers
 * (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers).
 */
function podGpus(pod: unknown): number {
  const sum = list(at(pod, "containers")).reduce<number>((total, c) => total + containerGpus(c), 0);
  const init = Math.max(0, ...list(at(pod, "initContainers")).map(containerGpus));
  return Math.max(sum, init);
}

/** How many instances a Cloud Run service may run, and how that was decided. */
function cloudRunInstances(props: Props): { max: number; why: string } {
  const service = record(props.scaling);
  if (service?.scalingMode === "MANUAL") {
    return {
      max: count(service.manualInstanceCount),
      why: `manualInstanceCount ${count(service.manualInstanceCount)}`,
    };
  }
  const bounds = [
    ["template.scaling.maxInstanceCount", at(props, "template", "scaling", "maxInstanceCount")],
    ["scaling.maxInstanceCount", service?.maxInstanceCount],
  ].filter(([, value]) => typeof value === "number") as [string, number][];
  if (bounds.length === 0) {
    return {
      max: CLOUD_RUN_DEFAULT_MAX_INSTANCES,
      why: `maxInstanceCount unset (Cloud Run's default ${CLOUD_RUN_DEFAULT_MAX_INSTANCES})`,
    };
  }
  const [field, max] = bounds.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { max, why: `${field} ${max}` };
}

/** The scaler bounding a workload's replicas: a KEDA ScaledObject or an HPA targeting it in its namespace. */
function replicaBound(workload: StackResource, resources: readonly StackResource[]): { max: number; why: string } {
  const kind = kindOf(workload.type);
  const namespace = text(at(workload.props, "metadata", "namespace")) ?? "default";
  const name = text(at(workload.props, "metadata", "name"));
  const targets = (r: StackResource) =>
    (text(at(r.props, "metadata", "namespace")) ?? "default") === namespace &&
    text(at(r.props, "spec", "scaleTargetRef", "name")) === name &&
    // A ScaledObject's scaleTargetRef.kind defaults to Deployment (KEDA scaledobject-spec, scaleTargetRef).
    (text(at(r.props, "spec", "scaleTargetRef", "kind")) ?? "Deployment") === kind;
  for (const r of resources) {
    if (r.type === TYPES.scaledObject && targets(r)) {
      const set = at(r.props, "spec", "maxReplicaCount");
      return typeof set === "number"
        ? { max: set, why: `ScaledObject "${objectRef(r.props)}" maxReplicaCount ${set}` }
        : {
            max: KEDA_DEFAULT_MAX_REPLICAS,
            why: `ScaledObject "${objectRef(r.props)}" maxReplicaCount unset (KEDA's default ${KEDA_DEFAULT_MAX_REPLICAS})`,
          };
    }
    if (/^kubernetes:autoscaling\/v\w+:HorizontalPodAutoscaler$/.test(r.type) && targets(r)) {
      const max = count(at(r.props, "spec", "maxReplicas"));
      return { max, why: `HorizontalPodAutoscaler "${objectRef(r.props)}" maxReplicas ${max}` };
    }
  }
  const replicas = at(workload.props, "spec", "replicas");
  // Without a scaler a Deployment runs spec.replicas pods, 1 when unset.
  return typeof replicas === "number"
    ? { max: replicas, why: `replicas ${replicas}` }
    : { max: 1, why: "replicas unset (1)" };
}

/**
 * At most `maxGpus` GPUs per service at full scale: GPUs per instance × the most instances it may run. On Cloud
 * Run both are on the service; on GKE the GPUs are on the Deployment (or StatefulSet) and the bound on the KEDA
 * ScaledObject or HPA that targets it, which is why this is a stack policy.
 */
export function gpuCapProblems(resources: readonly StackResource[], maxGpus: number): StackViolation[] {
  const violations: StackViolation[] = [];
  for (const r of resources) {
    if (r.type === TYPES.cloudRunService) {
      const perInstance = list(at(r.props, "template", "containers")).reduce<number>((t, c) => t + containerGpus(c), 0);
      if (perInstance === 0) continue;
      const { max, why } = cloudRunInstances(r.props);
      if (perInstance * max > maxGpus) {
        violations.push({
          urn: r.urn,
          message:
            `Cloud Run service "${gcpName(r.props)}" can hold ${perInstance * max} GPUs ` +
            `(${perInstance} ${GPU} per instance × ${why}), more than maxGpusPerService ${maxGpus}`,
        });
      }
    }
    if (r.type === TYPES.deployment || r.type === TYPES.statefulSet) {
      const perPod = podGpus(at(r.props, "spec", "template", "spec"));
      if (perPod === 0) continue;
      const { max, why } = replicaBound(r, resources);
      if (perPod * max > maxGpus) {
        violations.push({
          urn: r.urn,
          message:
            `${kindOf(r.type)} "${objectRef(r.props)}" can hold ${perPod * max} GPUs ` +
            `(${perPod} ${GPU} per pod × ${why}), more than maxGpusPerService ${maxGpus}`,
        });
      }
    }
  }
  return violations;
}
