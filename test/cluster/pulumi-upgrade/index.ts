/*
 * The program of test/cluster/pulumi-upgrade.cluster.ts: one ToolHive operator (raw manifests,
 * cluster scope) at the release the stack's `toolhiveVersion` config names, so that
 * `pulumi config set toolhiveVersion <newer>` then `pulumi up` is the upgrade a user runs.
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ToolhiveOperator } from 'toolhive-constructs/pulumi';

const config = new pulumi.Config();
const provider = new kubernetes.Provider('upgrade', { kubeconfig: config.requireSecret('kubeconfig'), enableServerSideApply: true });
const version = config.require('toolhiveVersion');

const toolhive = new ToolhiveOperator('upgrade', { provider, version, delivery: 'manifests', rbac: { scope: 'cluster' } });

export const namespace = toolhive.namespace;
export const toolhiveVersion = version;
