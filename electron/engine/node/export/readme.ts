import type { GraphDocument } from '../../../../graph-schemas';
import { validateGraph } from '../../../../graph-schemas';
import type { ExportManifest } from './export-run';
import { attentionTable, trainingSettingsTable } from './readme-facts';

/**
 * The README that travels with an exported model: how it was trained, where attention sits, and how to load it
 * in Node and in a web page. `doc` is the run's document (its training settings are the run's).
 */
export function exportReadme(m: ExportManifest, doc: GraphDocument): string {
  const conditional = m.generatorInputs.includes('label');
  const inputs = conditional ? '[z, labels]' : '[z]';
  return `# ${m.name} — exported from SAGAN Studio

Step ${m.step}. The generator maps noise z ∈ R^${m.zDim} (standard normal)${conditional ? ` and a class label (int32, shape [B, 1], 0…${m.classes - 1})` : ''} to ${m.imageShape.join('×')} images in [-1, 1] (NHWC).${m.emaWeights ? " Its weights are the moving average (EMA) used for the run's samples." : ''}

| file | what |
| --- | --- |
| \`generator/model.json\`, \`generator/weights.bin\` | the generator, a TensorFlow.js LayersModel |
| \`discriminator/\` | the discriminator, same format (inputs: ${m.discriminatorInputs.join(', ')}) |
| \`sagan-layers.js\` | the custom layers (spectral norm, self-attention, conditional batch norm, projection head); import it before loading |
| \`graph.sagan.json\` | the SAGAN Studio graph it was trained from |
| \`samples.png\` | a sample grid${conditional ? ', one row per class' : ''} |
| \`export.json\` | shapes and inputs, for programs |

## Training

${trainingSettingsTable(doc, m.step)}

## Attention

${attentionTable(validateGraph(doc))}

## In Node

\`\`\`js
import * as tf from '@tensorflow/tfjs';        // or '@tensorflow/tfjs-node' for speed
import './sagan-layers.js';                     // registers the custom layers
import { readFile } from 'node:fs/promises';

const json = JSON.parse(await readFile('generator/model.json', 'utf8'));
const weights = await readFile('generator/weights.bin');
const G = await tf.loadLayersModel(tf.io.fromMemory({
  modelTopology: json.modelTopology,
  weightSpecs: json.weightsManifest[0].weights,
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
}));
const z = tf.randomNormal([16, ${m.zDim}]);
${conditional ? `const labels = tf.tensor2d(Array.from({ length: 16 }, (_, i) => i % ${m.classes}), [16, 1], 'int32');\n` : ''}const images = G.predict(${inputs.replace('labels', 'labels')}).add(1).div(2);   // [16, ${m.imageShape.join(', ')}] in [0, 1]
\`\`\`

Or, with SAGAN Studio installed: \`npx sagan-studio sample THIS_FOLDER --n 16${conditional ? ' --class 3' : ''} --out samples.png\`.

## In a web page

Serve this folder, then:

\`\`\`html
<script type="module">
  import * as tf from 'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/+esm';
  import './sagan-layers.js';   // its import of '@tensorflow/tfjs' must resolve to the same tf: use an import map
  const G = await tf.loadLayersModel('generator/model.json');
  const img = G.predict(${conditional ? `[tf.randomNormal([1, ${m.zDim}]), tf.tensor2d([[0]], [1, 1], 'int32')]` : `tf.randomNormal([1, ${m.zDim}])`}).squeeze().add(1).div(2);
  await tf.browser.toPixels(img, document.querySelector('canvas'));
</script>
\`\`\`

with an import map such as \`<script type="importmap">{"imports": {"@tensorflow/tfjs": "https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/+esm"}}</script>\`.
`;
}
