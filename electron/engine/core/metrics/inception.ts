import * as tf from '@tensorflow/tfjs';

/**
 * Inception-v3 in the variant FID is defined with: the 2015-12-05 TensorFlow graph as pytorch-fid ports it
 * (weights `pt_inception-2015-12-05-6726825d.pth`). Differences from torchvision's Inception-v3: average pooling
 * in the A, C and first E blocks does not count padding (TensorFlow's), and the last E block's pool branch max-
 * pools. Features are the 2048-d average of the last block ("pool3"). Inputs are resized to 299×299 bilinearly
 * (half-pixel centres, no antialiasing, as torch's F.interpolate(align_corners=False)) and scaled to [-1, 1].
 * Each conv's batch norm (eps 0.001, inference statistics) is folded into the conv's kernel and bias.
 */
export const FID_INCEPTION = {
  id: 'inception-v3-fid',
  label: 'Inception-v3 (FID, pt_inception-2015-12-05)',
  inputSize: 299,
  featureDim: 2048,
  weightsFile: 'pt_inception-2015-12-05-6726825d.pth',
  /** torch.hub's file-name convention: the weights' SHA-256 starts with this. */
  sha256Prefix: '6726825d',
} as const;

const BN_EPS = 0.001;

interface ConvSpec {
  name: string;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const same = (name: string): ConvSpec => ({ name, stride: 1, pad: 'same' });
const reduce = (name: string): ConvSpec => ({ name, stride: 2, pad: 'valid' });

const STEM: ConvSpec[] = [
  reduce('Conv2d_1a_3x3'),
  { name: 'Conv2d_2a_3x3', stride: 1, pad: 'valid' },
  same('Conv2d_2b_3x3'),
  same('Conv2d_3b_1x1'),
  { name: 'Conv2d_4a_3x3', stride: 1, pad: 'valid' },
];
const A = [
  'branch1x1',
  'branch5x5_1',
  'branch5x5_2',
  'branch3x3dbl_1',
  'branch3x3dbl_2',
  'branch3x3dbl_3',
  'branch_pool',
];
const C = [
  'branch1x1',
  ...[1, 2, 3].map((i) => `branch7x7_${i}`),
  ...[1, 2, 3, 4, 5].map((i) => `branch7x7dbl_${i}`),
  'branch_pool',
];
const E = [
  'branch1x1',
  'branch3x3_1',
  'branch3x3_2a',
  'branch3x3_2b',
  'branch3x3dbl_1',
  'branch3x3dbl_2',
  'branch3x3dbl_3a',
  'branch3x3dbl_3b',
  'branch_pool',
];

/** Every BasicConv2d of the network with its stride and padding, by its state-dict prefix. */
export const FID_INCEPTION_CONVS: ConvSpec[] = [
  ...STEM,
  ...['Mixed_5b', 'Mixed_5c', 'Mixed_5d'].flatMap((m) => A.map((b) => same(`${m}.${b}`))),
  reduce('Mixed_6a.branch3x3'),
  same('Mixed_6a.branch3x3dbl_1'),
  same('Mixed_6a.branch3x3dbl_2'),
  reduce('Mixed_6a.branch3x3dbl_3'),
  ...['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e'].flatMap((m) => C.map((b) => same(`${m}.${b}`))),
  same('Mixed_7a.branch3x3_1'),
  reduce('Mixed_7a.branch3x3_2'),
  ...[1, 2, 3].map((i) => same(`Mixed_7a.branch7x7x3_${i}`)),
  reduce('Mixed_7a.branch7x7x3_4'),
  ...['Mixed_7b', 'Mixed_7c'].flatMap((m) => E.map((b) => same(`${m}.${b}`))),
];

/** A tensor from a PyTorch state dict: shape as PyTorch has it, float32 values row-major. */
export interface TorchArray {
  shape: number[];
  data: Float32Array;
}

interface FoldedConv extends ConvSpec {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/**
 * Builds the network from a pytorch-fid state dict (keys like `Mixed_5b.branch1x1.conv.weight`, `….bn.running_var`;
 * `fc.*` and `num_batches_tracked` are not needed). Throws naming the first missing or misshapen key.
 */
export function fidInceptionFromTorch(state: Map<string, TorchArray>): FidInception {
  const convs = new Map<string, FoldedConv>();
  try {
    for (const spec of FID_INCEPTION_CONVS) convs.set(spec.name, foldConv(spec, state));
  } catch (e) {
    for (const c of convs.values()) tf.dispose([c.kernel, c.bias]);
    throw e;
  }
  return new FidInception(convs);
}

function foldConv(spec: ConvSpec, state: Map<string, TorchArray>): FoldedConv {
  const get = (suffix: string) => {
    const key = `${spec.name}.${suffix}`;
    const v = state.get(key);
    if (!v) throw new Error(`The Inception weights have no "${key}"; they are not pytorch-fid's FID Inception-v3.`);
    return v;
  };
  const w = get('conv.weight');
  if (w.shape.length !== 4) throw new Error(`"${spec.name}.conv.weight" is [${w.shape}], not a 4-d conv weight.`);
  const [out, inC, kh, kw] = w.shape as [number, number, number, number];
  const [gamma, beta, mean, variance] = ['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'].map(get);
  for (const [k, v] of [
    ['bn.weight', gamma],
    ['bn.bias', beta],
    ['bn.running_mean', mean],
    ['bn.running_var', variance],
  ] as const)
    if (v!.data.length !== out)
      throw new Error(`"${spec.name}.${k}" has ${v!.data.length} values for a conv with ${out} outputs.`);
  const scale = Float64Array.from({ length: out }, (_, o) => gamma!.data[o]! / Math.sqrt(variance!.data[o]! + BN_EPS));
  const kernel = new Float32Array(kh * kw * inC * out); // torch [out,in,kh,kw] → tfjs [kh,kw,in,out]
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inC; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          kernel[((y * kw + x) * inC + i) * out + o] = w.data[((o * inC + i) * kh + y) * kw + x]! * scale[o]!;
  const bias = Float32Array.from({ length: out }, (_, o) => beta!.data[o]! - mean!.data[o]! * scale[o]!);
  return { ...spec, kernel: tf.tensor4d(kernel, [kh, kw, inC, out]), bias: tf.tensor1d(bias) };
}

export class FidInception {
  constructor(private readonly convs: Map<string, FoldedConv>) {}

  private conv(name: string, x: tf.Tensor4D): tf.Tensor4D {
    const c = this.convs.get(name)!;
    return tf.fused.conv2d({ x, filter: c.kernel, strides: c.stride, pad: c.pad, bias: c.bias, activation: 'relu' });
  }

  private chain(x: tf.Tensor4D, ...names: string[]): tf.Tensor4D {
    return names.reduce((h, n) => this.conv(n, h), x);
  }

  /** Images NHWC in [0, 1], 1 or 3 channels, any size → pool3 features [N, 2048]. */
  features(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let x: tf.Tensor4D = images.shape[3] === 1 ? tf.tile(images, [1, 1, 1, 3]) : images;
      const S = FID_INCEPTION.inputSize;
      if (x.shape[1] !== S || x.shape[2] !== S) x = tf.image.resizeBilinear(x, [S, S], false, true);
      x = tf.sub(tf.mul(x, 2), 1);
      x = this.chain(x, 'Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3');
      x = tf.maxPool(x, 3, 2, 'valid');
      x = this.chain(x, 'Conv2d_3b_1x1', 'Conv2d_4a_3x3');
      x = tf.maxPool(x, 3, 2, 'valid');
      for (const m of ['Mixed_5b', 'Mixed_5c', 'Mixed_5d']) x = this.blockA(m, x);
      x = this.blockB('Mixed_6a', x);
      for (const m of ['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e']) x = this.blockC(m, x);
      x = this.blockD('Mixed_7a', x);
      x = this.blockE('Mixed_7b', x, 'avg');
      x = this.blockE('Mixed_7c', x, 'max');
      return tf.mean(x, [1, 2]) as tf.Tensor2D;
    });
  }

  /** TensorFlow's 3×3 average pool: 'same' padding, padded cells not counted (pytorch-fid's count_include_pad=False). */
  private avgPool = (x: tf.Tensor4D) => tf.avgPool(x, 3, 1, 'same');

  private blockA(m: string, x: tf.Tensor4D) {
    return tf.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.chain(x, `${m}.branch5x5_1`, `${m}.branch5x5_2`),
        this.chain(x, `${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`, `${m}.branch3x3dbl_3`),
        this.conv(`${m}.branch_pool`, this.avgPool(x)),
      ],
      3,
    );
  }

  private blockB(m: string, x: tf.Tensor4D) {
    return tf.concat(
      [
        this.conv(`${m}.branch3x3`, x),
        this.chain(x, `${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`, `${m}.branch3x3dbl_3`),
        tf.maxPool(x, 3, 2, 'valid'),
      ],
      3,
    );
  }

  private blockC(m: string, x: tf.Tensor4D) {
    return tf.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.chain(x, ...[1, 2, 3].map((i) => `${m}.branch7x7_${i}`)),
        this.chain(x, ...[1, 2, 3, 4, 5].map((i) => `${m}.branch7x7dbl_${i}`)),
        this.conv(`${m}.branch_pool`, this.avgPool(x)),
      ],
      3,
    );
  }

  private blockD(m: string, x: tf.Tensor4D) {
    return tf.concat(
      [
        this.chain(x, `${m}.branch3x3_1`, `${m}.branch3x3_2`),
        this.chain(x, ...[1, 2, 3, 4].map((i) => `${m}.branch7x7x3_${i}`)),
        tf.maxPool(x, 3, 2, 'valid'),
      ],
      3,
    );
  }

  private blockE(m: string, x: tf.Tensor4D, pool: 'avg' | 'max') {
    const b3 = this.conv(`${m}.branch3x3_1`, x);
    const bd = this.chain(x, `${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`);
    const pooled = pool === 'avg' ? this.avgPool(x) : tf.maxPool(x, 3, 1, 'same');
    return tf.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.conv(`${m}.branch3x3_2a`, b3),
        this.conv(`${m}.branch3x3_2b`, b3),
        this.conv(`${m}.branch3x3dbl_3a`, bd),
        this.conv(`${m}.branch3x3dbl_3b`, bd),
        this.conv(`${m}.branch_pool`, pooled),
      ],
      3,
    );
  }

  dispose() {
    for (const c of this.convs.values()) tf.dispose([c.kernel, c.bias]);
  }
}
