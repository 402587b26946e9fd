import { ensureKubernetesOpenApi } from './k8s-openapi';
import { toolhiveUpstream } from './upstream';

/** Fetches shared test data once, before the test workers start. */
export default function globalSetup(): void {
  ensureKubernetesOpenApi();
  toolhiveUpstream();
}
