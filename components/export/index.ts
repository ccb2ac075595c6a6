/** `npm run plan -- --export knative|cloudrun`: the stack's service as a Knative Serving v1 Service. */
import { cloudRunExport } from "./cloudrun-yaml";
import { knativeExport } from "./knative";
import type { ExportFlavour, ExportInput, ExportResult } from "./report";

export type { ExportFlavour, ExportInput, ExportResult } from "./report";

export const EXPORT_FLAVOURS: readonly ExportFlavour[] = ["knative", "cloudrun"];

export function isExportFlavour(text: string): text is ExportFlavour {
  return EXPORT_FLAVOURS.some((flavour) => flavour === text);
}

export function exportService(flavour: ExportFlavour, input: ExportInput): ExportResult {
  return flavour === "knative" ? knativeExport(input) : cloudRunExport(input);
}
