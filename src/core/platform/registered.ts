/*
 * The umbrella components a platform's clusters may run, one registration line each, in the
 * order a cluster's shape and a diagram list them. A new component is its descriptor's file
 * and one line here.
 */
import { aiGateway } from './components/ai-gateway';
import { cloudUi } from './components/cloud-ui';
import { enterpriseManager } from './components/enterprise-manager';
import { registryServer } from './components/registry-server';
import { toolhiveOperator } from './components/toolhive-operator';
import { ComponentDescriptor } from './descriptor';

/** The registered components. @internal */
export const PLATFORM_COMPONENT_REGISTRY: readonly ComponentDescriptor[] = [
  toolhiveOperator,
  registryServer,
  enterpriseManager,
  cloudUi,
  aiGateway,
];
