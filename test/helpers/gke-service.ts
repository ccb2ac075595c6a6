/** A KubernetesService alone under the mock runtime, as GKE tests run it: one service on a stand-in cluster provider. */
import * as k8s from "@pulumi/kubernetes";
import type { ServiceInput } from "../../components/config/schema";
import { KubernetesService } from "../../components/targets/gke/service";
import { runUnderMocks, type Inventory } from "../../tools/mock-runtime";

export function kubernetesServiceInventory(service: ServiceInput, image: string): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      const svc = new KubernetesService("echo", {
        project: "acme-dev",
        service,
        image,
        repository: { project: "acme-dev", location: "us-central1", name: "echo" },
        provider,
      });
      return { url: svc.url };
    },
    { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
  );
}
