/*
 * The ToolHive operator on an air-gapped cluster, delivered as its Helm charts: both charts
 * pulled from your OCI chart mirror (`chartMirror`, e.g. oci://registry.internal/mirror, the
 * charts pushed there at their public paths: see `mirrorList`), every image from your image
 * registry, pulled with the `mirror-pull` Secret. Registry credentials stay out of the program:
 * the provider's helm reads your `helm registry login`; a private CA is given as a file.
 *
 *   pulumi config set chartMirror oci://registry.internal/mirror
 *   pulumi config set imageRegistry registry.internal/mirror
 *   pulumi config set chartMirrorCaFile /etc/ssl/internal-ca.pem   # optional
 *   pulumi config set helmResource chart                             # helm.v4.Chart (default: helm.v3.Release)
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { HelmResourceKind, ToolhiveOperator } from 'toolhive-constructs/pulumi';

const config = new pulumi.Config();
const provider = new kubernetes.Provider('airgapped', { kubeconfig: config.requireSecret('kubeconfig'), enableServerSideApply: true });

export const toolhive = new ToolhiveOperator('airgapped', {
  provider,
  delivery: 'helm',
  helmResource: (config.get('helmResource') ?? 'release') as HelmResourceKind,
  rbac: { scope: 'namespace', allowedNamespaces: ['team-a'] },
  airGap: {
    chartMirror: config.require('chartMirror'),
    imageRegistry: config.require('imageRegistry'),
    imagePullSecrets: ['mirror-pull'],
    caFile: config.get('chartMirrorCaFile'),
  },
});

export const namespace = toolhive.namespace;
export const releaseNames = toolhive.releaseNames;
