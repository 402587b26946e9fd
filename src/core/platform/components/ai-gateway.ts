/*
 * The AI Gateway operator (enterprise edition): a subchart of the umbrella.
 */
import { ComponentDescriptor, enterprisePullSecrets } from '../descriptor';
import { compileAiGateway } from '../enterprise-components';
import { AI_GATEWAY_SHAPE } from '../shape';

/** The AI Gateway. @internal */
export const aiGateway: ComponentDescriptor = {
  name: 'aiGateway',
  title: 'AI Gateway',
  roles: ['control', 'workload'],
  enterpriseOnly: true,
  shape: AI_GATEWAY_SHAPE,
  compile: (ctx, name) => (ctx.usable(name, 'aiGateway') ? { values: compileAiGateway(ctx.clusters.get(name)!.aiGateway!) } : undefined),
  umbrella: {
    key: 'enterprise-ai-gateway-operator',
    upstream: true,
    values: ({ ctx }, ai) => {
      const a = ctx.enterpriseAirGap;
      if (a && !ai.global?.imagePullSecrets) ai.global = { ...(ai.global ?? {}), imagePullSecrets: enterprisePullSecrets(a) };
      return Object.keys(ai).length > 0 ? ai : undefined;
    },
  },
  diagram: { node: 'gateway', label: () => ['AI Gateway'] },
};
