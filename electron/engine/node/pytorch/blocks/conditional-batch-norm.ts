import type { BlockEmitter } from '../emitter';
import { conditionalBatchNormLinks, inputWidth } from '../emitter';

export const ConditionalBatchNorm: BlockEmitter<'ConditionalBatchNorm'> = {
  role: 'module',
  python: {
    file: 'conditional_batch_norm',
    className: 'ConditionalBatchNorm',
    code: String.raw`from layers import ConditionalBatchNorm2d


class ConditionalBatchNorm(ConditionalBatchNorm2d):
    """ConditionalBatchNorm2d(channels, num_classes, eps, momentum); forward(x, y)."""
`,
  },
  args: ({ node, config, classes }) => [
    ['channels', inputWidth(node)],
    ['num_classes', classes],
    ['eps', config.eps],
    ['momentum', config.momentum],
  ],
  forwardPorts: ['in', 'label'],
  weights: () => conditionalBatchNormLinks('', ''),
};
