import type { GraphDocument } from '../../../../graph-schemas';
import type { TrainJob } from '../run/protocol';
import { selectBackend } from '../backend';
import { featureNetworkFor, QualityEvaluator } from '../metrics/evaluate';
import { openSavedGenerator } from '../metrics/saved-generator';
import { qualitySeed } from '../run/quality-monitor';
import { openDataset } from '../run/training-data';
import type { VariantQuality } from './sweep-runner';

/**
 * Measures sweep variants in this process at the sweep's last step (for runs that did not measure it themselves, e.g.
 * trained before quality was measured during training): `measure` and `measureDone` for runSweep. The feature network
 * and reference statistics are opened once, on the first variant that needs them.
 */
export function variantMeasurer(o: {
  doc: GraphDocument;
  data: string | null;
  samples: number;
  cacheDir: string;
  backend: TrainJob['backend'];
  threads?: number;
  onReference?(total: number): void;
}) {
  let evaluator: QualityEvaluator | null = null;
  return {
    async measure(runDir: string): Promise<VariantQuality> {
      await selectBackend({ requested: o.backend, ...(o.threads ? { threads: o.threads } : {}) });
      evaluator ??= await QualityEvaluator.open(
        await openDataset(o.doc, o.data ?? undefined, o.cacheDir),
        featureNetworkFor(o.doc.dataset),
        {
          cacheDir: o.cacheDir,
          onProgress: (done, total) => {
            if (done === 0) o.onReference?.(total);
          },
        },
      );
      const saved = await openSavedGenerator(runDir, o.doc.training.steps);
      try {
        const e = evaluator;
        const report = await saved.use((g) => e.evaluate(g, o.samples, qualitySeed(o.doc)));
        return { ...report, ema: saved.usesEma };
      } finally {
        saved.dispose();
      }
    },
    measureDone() {
      evaluator?.dispose();
      evaluator = null;
    },
  };
}
