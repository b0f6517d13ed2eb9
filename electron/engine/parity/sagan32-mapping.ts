import type { NamedArray } from '../core/model/weights';
import type { LayoutTensor } from './torch-layout';
import {
  convWeightNhwcToTorch,
  convWeightTorchToNhwc,
  linearToMapNhwcToTorch,
  linearToMapTorchToNhwc,
  linearWeightTorchToNhwc,
} from './torch-layout';

/**
 * How the sagan-32 preset's weights (engine keys "generator/<layer>/<weight>") correspond to the reference
 * peer's state_dict ("G.<module>.<param>"), with the layout change each needs.
 */
type Kind = 'conv' | 'linear' | 'linear-to-map' | 'vector' | 'table' | 'scalar';
interface Entry {
  engine: string;
  torch: string;
  kind: Kind;
}

const map4x4x256 = { channels: 256, height: 4, width: 4 };

function conv(engine: string, torch: string, bias = true): Entry[] {
  return [
    { engine: `${engine}/kernel`, torch: `${torch}.weight_orig`, kind: 'conv' },
    ...(bias ? [{ engine: `${engine}/bias`, torch: `${torch}.bias`, kind: 'vector' as const }] : []),
    { engine: `${engine}/u`, torch: `${torch}.weight_u`, kind: 'vector' },
  ];
}

function cbn(engine: string, torch: string): Entry[] {
  return [
    { engine: `${engine}/gamma_embedding`, torch: `${torch}.gamma.weight`, kind: 'table' },
    { engine: `${engine}/beta_embedding`, torch: `${torch}.beta.weight`, kind: 'table' },
    { engine: `${engine}/running_mean`, torch: `${torch}.bn.running_mean`, kind: 'vector' },
    { engine: `${engine}/running_var`, torch: `${torch}.bn.running_var`, kind: 'vector' },
  ];
}

function attention(engine: string, torch: string): Entry[] {
  return [
    ...conv(`${engine}/query`, `${torch}.f`),
    ...conv(`${engine}/key`, `${torch}.g`),
    ...conv(`${engine}/value`, `${torch}.h`),
    ...conv(`${engine}/out`, `${torch}.o`),
    { engine: `${engine}/gamma`, torch: `${torch}.gamma`, kind: 'scalar' },
  ];
}

const upBlock = (engine: string, torch: string) => [
  ...cbn(`${engine}/cbn1`, `${torch}.cbn1`),
  ...cbn(`${engine}/cbn2`, `${torch}.cbn2`),
  ...conv(`${engine}/conv1`, `${torch}.c1`),
  ...conv(`${engine}/conv2`, `${torch}.c2`),
  ...conv(`${engine}/shortcut`, `${torch}.sc`),
];

const downBlock = (engine: string, torch: string, shortcut: boolean) => [
  ...conv(`${engine}/conv1`, `${torch}.c1`),
  ...conv(`${engine}/conv2`, `${torch}.c2`),
  ...(shortcut ? conv(`${engine}/shortcut`, `${torch}.sc`) : []),
];

export const sagan32Mapping: readonly Entry[] = [
  { engine: 'generator/g_linear/kernel', torch: 'G.lin.weight_orig', kind: 'linear-to-map' },
  ...upBlock('generator/g_up1', 'G.b1'),
  ...upBlock('generator/g_up2', 'G.b2'),
  ...attention('generator/g_attention', 'G.att'),
  ...upBlock('generator/g_up3', 'G.b3'),
  { engine: 'generator/g_bn/gamma', torch: 'G.bn.weight', kind: 'vector' },
  { engine: 'generator/g_bn/beta', torch: 'G.bn.bias', kind: 'vector' },
  { engine: 'generator/g_bn/running_mean', torch: 'G.bn.running_mean', kind: 'vector' },
  { engine: 'generator/g_bn/running_var', torch: 'G.bn.running_var', kind: 'vector' },
  ...conv('generator/g_conv_out', 'G.out'),
  ...downBlock('discriminator/d_block1', 'D.b1', true),
  ...attention('discriminator/d_attention', 'D.att'),
  ...downBlock('discriminator/d_block2', 'D.b2', true),
  ...downBlock('discriminator/d_block3', 'D.b3', false),
  ...downBlock('discriminator/d_block4', 'D.b4', false),
  { engine: 'discriminator/d_projection/linear/kernel', torch: 'D.lin.weight_orig', kind: 'linear' },
  { engine: 'discriminator/d_projection/linear/bias', torch: 'D.lin.bias', kind: 'vector' },
  { engine: 'discriminator/d_projection/linear/u', torch: 'D.lin.weight_u', kind: 'vector' },
  { engine: 'discriminator/d_projection/embedding/embeddings', torch: 'D.emb.weight_orig', kind: 'table' },
  { engine: 'discriminator/d_projection/embedding/u', torch: 'D.emb.weight_u', kind: 'vector' },
];

/** The G linear's bias and u follow its units into NHWC order; they are handled with its kernel. */
const linearToMapParts = {
  bias: 'generator/g_linear/bias',
  u: 'generator/g_linear/u',
  torchBias: 'G.lin.bias',
  torchU: 'G.lin.weight_u',
};

type TorchState = Map<string, LayoutTensor>;

/** PyTorch state_dict (as read from a tensor bundle) → engine weights for sagan-32. Throws naming a missing tensor. */
export function torchStateToEngine(state: TorchState): Map<string, NamedArray> {
  const get = (name: string) => {
    const t = state.get(name);
    if (!t) throw new Error(`The PyTorch state has no tensor "${name}".`);
    return { shape: t.shape, data: Float32Array.from(t.data) };
  };
  const out = new Map<string, NamedArray>();
  for (const e of sagan32Mapping) {
    const t = get(e.torch);
    if (e.kind === 'conv') out.set(e.engine, convWeightTorchToNhwc(t));
    else if (e.kind === 'linear') out.set(e.engine, linearWeightTorchToNhwc(t));
    else if (e.kind === 'scalar') out.set(e.engine, { shape: [], data: t.data });
    else if (e.kind === 'linear-to-map') {
      const moved = linearToMapTorchToNhwc(
        { weight: t, bias: get(linearToMapParts.torchBias).data, u: get(linearToMapParts.torchU).data },
        map4x4x256,
      );
      out.set(e.engine, moved.weight);
      out.set(linearToMapParts.bias, { shape: [moved.bias!.length], data: moved.bias! });
      out.set(linearToMapParts.u, { shape: [moved.u!.length], data: moved.u! });
    } else out.set(e.engine, t);
  }
  return out;
}

/** Engine weights → PyTorch layouts, keyed by state_dict name (for comparing after a training step). */
export function engineToTorchLayout(weights: Map<string, NamedArray>): Map<string, LayoutTensor> {
  const out = new Map<string, LayoutTensor>();
  const get = (name: string) => {
    const t = weights.get(name);
    if (!t) throw new Error(`The engine has no weight "${name}".`);
    return t;
  };
  for (const e of sagan32Mapping) {
    const t = get(e.engine);
    if (e.kind === 'conv') out.set(e.torch, convWeightNhwcToTorch(t));
    else if (e.kind === 'linear')
      out.set(e.torch, { shape: [t.shape[1]!, t.shape[0]!], data: transpose2d(t.data, t.shape[0]!, t.shape[1]!) });
    else if (e.kind === 'linear-to-map') {
      const moved = linearToMapNhwcToTorch(
        { weight: t, bias: get(linearToMapParts.bias).data, u: get(linearToMapParts.u).data },
        map4x4x256,
      );
      out.set(e.torch, moved.weight);
      out.set(linearToMapParts.torchBias, { shape: [moved.bias!.length], data: moved.bias! });
      out.set(linearToMapParts.torchU, { shape: [moved.u!.length], data: moved.u! });
    } else out.set(e.torch, t);
  }
  return out;
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
