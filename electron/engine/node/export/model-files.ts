import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';

/** A save handler that writes a LayersModel as model.json + weights.bin in `dir` (the format tf.loadLayersModel reads). */
export function modelFilesHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(dir, { recursive: true });
    const weightData =
      artifacts.weightData instanceof ArrayBuffer
        ? artifacts.weightData
        : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]);
    await writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(weightData));
    const modelJson = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: 'SAGAN Studio',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        weightDataBytes: weightData.byteLength,
      },
    };
  });
}

/** Loads model.json + its weight files from a folder (Node has no file:// loader without tfjs-node). */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  const text = await readFile(join(dir, 'model.json'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'ENOENT'
        ? `${dir} has no model.json; is it an exported SAGAN Studio model?`
        : `Cannot read ${join(dir, 'model.json')}: ${e.message}`,
    );
  });
  const json = JSON.parse(text) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const weightData = tf.io.concatenateArrayBuffers(
    buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}
