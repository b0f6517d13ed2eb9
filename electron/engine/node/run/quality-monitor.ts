import type { GraphDocument } from '../../../../graph-schemas';
import type { ImageDataset } from '../../core/data/dataset';
import type { GanModel } from '../../core/model/gan-model';
import type { QualityMeasurement, TrainEvent } from '../../core/train/events';
import type { QualityEvaluator } from '../metrics/evaluate';
import { defaultCacheDir, featureNetworkFor, QualityEvaluator as Evaluator } from '../metrics/evaluate';
import { modelGenerator } from '../metrics/saved-generator';
import { appendMetrics } from './run-folder';

/** Noise seed of the measured samples: the CLI's `metrics` default, so it reproduces a training-time number. */
export const qualitySeed = (doc: GraphDocument) => doc.training.seed + 3;

/**
 * Measures sample quality while a run trains: every `metricsEvery` steps (not at step 0, so a run starts at once) it draws
 * `metricsSamples` images with the sampling (EMA) weights, scores them against the training data's reference
 * statistics, appends `{ step, quality }` to metrics.jsonl and says how long it took against the training time
 * since the previous measurement. Off for runs shorter than `metricsEvery`. A metric that cannot be computed (no
 * Inception weights for colour images) turns measuring off for the run with a warning; training goes on.
 */
export class QualityMonitor {
  private evaluator: Promise<QualityEvaluator | null> | null = null;
  private trainedMs = 0;

  constructor(
    private readonly o: {
      doc: GraphDocument;
      dataset: ImageDataset;
      runDir: string;
      cacheDir?: string;
      inceptionWeights?: string;
      emit(e: TrainEvent): void;
    },
  ) {}

  /** Whether this run is measured at all. */
  get enabled(): boolean {
    const t = this.o.doc.training;
    return t.metricsEvery > 0 && t.steps >= t.metricsEvery;
  }

  /** Whether `step` is measured. */
  due(step: number): boolean {
    return this.enabled && step > 0 && step % this.o.doc.training.metricsEvery === 0;
  }

  /** Counts training time towards the next measurement's share. */
  trained(ms: number) {
    this.trainedMs += ms;
  }

  async measure(step: number, model: GanModel): Promise<QualityMeasurement | null> {
    const evaluator = await (this.evaluator ??= this.open());
    if (!evaluator) return null;
    const t = this.o.doc.training;
    const report = await model.withSamplingWeights(() =>
      evaluator.evaluate(modelGenerator(model), t.metricsSamples, qualitySeed(this.o.doc)),
    );
    const m: QualityMeasurement = {
      network: report.network,
      names: report.names,
      samples: report.samples,
      fd: report.fd,
      kid: report.kid,
      kidStd: report.kidStd,
      accuracy: report.accuracy,
      score: report.score,
      ema: model.usesAverage(),
      seconds: report.seconds,
      trainSeconds: this.trainedMs / 1000,
    };
    this.trainedMs = 0;
    await appendMetrics(this.o.runDir, { step, quality: m });
    this.o.emit({ type: 'quality', step, ...m });
    return m;
  }

  private async open(): Promise<QualityEvaluator | null> {
    const { doc, dataset, emit } = this.o;
    const kind = featureNetworkFor(doc.dataset);
    try {
      let announced = false;
      return await Evaluator.open(dataset, kind, {
        cacheDir: this.o.cacheDir ?? defaultCacheDir(),
        ...(this.o.inceptionWeights ? { inceptionWeights: this.o.inceptionWeights } : {}),
        onProgress: (done, total) => {
          if (announced || done === total) return;
          announced = true;
          emit({
            type: 'notice',
            level: 'info',
            message: `Computing the reference statistics of the training data for quality metrics (${total} images, once; then cached).`,
          });
        },
      });
    } catch (e) {
      emit({
        type: 'notice',
        level: 'warning',
        message: `Quality metrics are off for this run: ${e instanceof Error ? e.message : String(e)} Set "Measure quality every" to 0 to silence this.`,
      });
      return null;
    }
  }

  async dispose() {
    (await this.evaluator?.catch(() => null))?.dispose();
  }
}
