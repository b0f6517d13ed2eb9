import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendDeps, OptionalImport, WebGpuDeps } from './backend';
import type { GpuAdapter } from './webgpu';
import { availableBackends, importOptional, selectBackend, selectBackendWith, usableCores } from './backend';

/** Native packages as the test wants them to look; any registration a fake "install" makes is undone after each test. */
function fakeImports(
  outcomes: Record<string, OptionalImport | (() => OptionalImport)>,
  webgpu: WebGpuDeps = noAdapter,
): BackendDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    webgpu,
    importOptional: async (pkg) => {
      asked.push(pkg);
      const outcome = outcomes[pkg] ?? { status: 'missing' };
      return typeof outcome === 'function' ? outcome() : outcome;
    },
  };
}

/** A machine where Dawn finds no adapter. */
const noAdapter: WebGpuDeps = {
  find: async () => ({ ok: false, reason: 'WebGPU found no adapter: none here.' }),
  start: async () => {
    throw new Error('WebGPU found no adapter: none here.');
  },
};

/** A machine with this adapter; starting it registers a 'webgpu' backend (the cpu backend's kernels) and switches. */
function fakeAdapter(adapter: Partial<GpuAdapter>): WebGpuDeps & { started: number } {
  const full: GpuAdapter = {
    name: 'Fake GPU, Vulkan',
    vendor: 'fake',
    architecture: 'fake',
    software: false,
    softwareWhy: null,
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27 },
    ...adapter,
  };
  const deps = {
    started: 0,
    find: async () => ({ ok: true as const, adapter: full }),
    start: async () => {
      deps.started++;
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'webgpu' });
      if (!tf.findBackendFactory('webgpu')) tf.registerBackend('webgpu', tf.findBackendFactory('cpu')!, 0);
      await tf.setBackend('webgpu');
      return full;
    },
  };
  return deps;
}

/** What a successful `import('@tensorflow/tfjs-node')` does: registers a 'tensorflow' backend (a cpu backend here). */
const installsTensorflowBackend = (): OptionalImport => {
  const cpuFactory = tf.findBackendFactory('cpu')!;
  tf.registerBackend('tensorflow', cpuFactory, 0);
  return { status: 'loaded' };
};

/** A measurement that reports fixed times per backend and records which backends it timed. */
function fakeTimes(ms: Record<string, number>): (() => Promise<number>) & { measured: string[] } {
  const measured: string[] = [];
  const measure = async () => {
    measured.push(tf.getBackend());
    return ms[tf.getBackend()] ?? Number.NaN;
  };
  return Object.assign(measure, { measured });
}

/** Like installsTensorflowBackend, with the cpu kernels registered for it too, so it can really compute. */
const installsWorkingTensorflowBackend = (): OptionalImport => {
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
  return installsTensorflowBackend();
};

afterEach(async () => {
  for (const name of ['tensorflow', 'webgpu']) {
    if (tf.findBackendFactory(name)) tf.removeBackend(name);
    for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
  }
});

/** A seeded computation exercising XNNPACK's threaded paths (convolution, its gradients, matmul); returns its results. */
function workload(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomUniform([4, 12, 10, 16], -1, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, 16, 24], -1, 1, 'float32', 2) as tf.Tensor4D;
    const grads = tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([
      x,
      w,
    ]);
    const product = tf.matMul(
      tf.randomUniform([64, 96], -1, 1, 'float32', 3),
      tf.randomUniform([96, 80], -1, 1, 'float32', 4),
    );
    return [...grads, product].map((t) => Float32Array.from(t.dataSync()));
  });
}

describe('selectBackend', () => {
  it('auto: without tfjs-node it starts wasm, asks for the GPU package first, and says why', async () => {
    const deps = fakeImports({});
    const logs: string[] = [];
    const report = await selectBackendWith({ requested: 'auto', threads: 1, log: (m) => logs.push(m) }, deps);
    expect(deps.asked).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(report).toMatchObject({ name: 'wasm', threads: 1, simd: true, warnings: [] });
    expect(report.reason).toBe('tfjs-node not installed, no WebGPU adapter; using wasm with 1 thread, SIMD');
    expect(tf.getBackend()).toBe('wasm');
    expect(logs[0]).toContain(report.reason);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('auto: takes an installed tfjs-node when it measures faster, and reports a broken GPU package as a warning', async () => {
    const deps = {
      ...fakeImports({
        '@tensorflow/tfjs-node-gpu': { status: 'failed', message: 'libcudart.so.11.0: cannot open shared object file' },
        '@tensorflow/tfjs-node': installsTensorflowBackend,
      }),
      measure: fakeTimes({ tensorflow: 5, wasm: 40 }),
    };
    const report = await selectBackendWith({ requested: 'auto', threads: 1 }, deps);
    expect(report.name).toBe('tensorflow');
    expect(report.reason).toBe(
      '@tensorflow/tfjs-node is installed: native TensorFlow, measured fastest (tensorflow 5.0 ms, wasm 40.0 ms per probe step)',
    );
    expect(report.warnings.join()).toContain('libcudart');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(deps.measure.measured).toEqual(['tensorflow', 'wasm']);
  });

  it('auto: keeps wasm when an installed tfjs-node measures slower, and says so', async () => {
    const deps = {
      ...fakeImports({ '@tensorflow/tfjs-node': installsTensorflowBackend }),
      measure: fakeTimes({ tensorflow: 90, wasm: 30 }),
    };
    const report = await selectBackendWith({ requested: 'auto', threads: 1 }, deps);
    expect(report).toMatchObject({ name: 'wasm', threads: 1 });
    expect(report.reason).toBe(
      '@tensorflow/tfjs-node is installed but measured slower here (tensorflow 90.0 ms, wasm 30.0 ms per probe step); using wasm with 1 thread, SIMD',
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto: the default measurement times real work (a "tfjs-node" that is really the pure-JS cpu backend loses to wasm)', async () => {
    const report = await selectBackendWith(
      { requested: 'auto', threads: 1 },
      fakeImports({ '@tensorflow/tfjs-node': installsWorkingTensorflowBackend }),
    );
    expect(report.name).toBe('wasm');
    const [cpuMs, wasmMs] = /tensorflow ([\d.]+) ms, wasm ([\d.]+) ms/.exec(report.reason)!.slice(1).map(Number);
    expect(cpuMs).toBeGreaterThan(wasmMs!);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto: an installed tfjs-node that fails the probe step leaves wasm in charge, with a warning', async () => {
    const report = await selectBackendWith(
      { requested: 'auto', threads: 1 },
      fakeImports({ '@tensorflow/tfjs-node': installsTensorflowBackend }),
    );
    expect(report.name).toBe('wasm');
    expect(report.warnings.join()).toMatch(
      /tensorflow was installed but failed a probe step \(Kernel 'Conv2D' not registered/,
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto: a hardware WebGPU adapter is measured against wasm and kept when faster, naming the adapter', async () => {
    const gpu = fakeAdapter({ name: 'NVIDIA GeForce RTX 4090, Vulkan' });
    const deps = { ...fakeImports({}, gpu), measure: fakeTimes({ webgpu: 4, wasm: 40 }) };
    const report = await selectBackendWith({ requested: 'auto', threads: 1 }, deps);
    expect(report.name).toBe('webgpu');
    expect(report.adapter?.name).toBe('NVIDIA GeForce RTX 4090, Vulkan');
    expect(report.reason).toBe(
      'a WebGPU adapter is here; using WebGPU on NVIDIA GeForce RTX 4090, Vulkan, measured fastest (webgpu 4.0 ms, wasm 40.0 ms per probe step)',
    );
    expect(deps.measure.measured).toEqual(['webgpu', 'wasm']);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('auto: a WebGPU adapter slower than wasm (a weak GPU) leaves wasm in charge, and says so', async () => {
    const deps = {
      ...fakeImports(
        { '@tensorflow/tfjs-node': installsTensorflowBackend },
        fakeAdapter({ name: 'Weak iGPU, Vulkan' }),
      ),
      measure: fakeTimes({ tensorflow: 90, webgpu: 60, wasm: 30 }),
    };
    const report = await selectBackendWith({ requested: 'auto', threads: 1 }, deps);
    expect(report.name).toBe('wasm');
    expect(report.reason).toBe(
      '@tensorflow/tfjs-node and WebGPU on Weak iGPU, Vulkan measured slower here (tensorflow 90.0 ms, webgpu 60.0 ms, wasm 30.0 ms per probe step); using wasm with 1 thread, SIMD',
    );
    expect(deps.measure.measured).toEqual(['tensorflow', 'webgpu', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto never starts a software adapter, and says why; asked for by name it runs it with a warning', async () => {
    const swiftShader = fakeAdapter({
      name: 'SwiftShader driver 5.0.0, Vulkan',
      software: true,
      softwareWhy: 'Dawn marks it as a fallback adapter',
    });
    const deps = { ...fakeImports({}, swiftShader), measure: fakeTimes({ webgpu: 1, wasm: 40 }) };
    const auto = await selectBackendWith({ requested: 'auto', threads: 1 }, deps);
    expect(auto.name).toBe('wasm');
    expect(auto.reason).toBe(
      'tfjs-node not installed, WebGPU offers only a software adapter (SwiftShader driver 5.0.0, Vulkan: Dawn marks it as a fallback adapter), far slower than wasm and used only when asked for by name (--backend webgpu); using wasm with 1 thread, SIMD',
    );
    expect(swiftShader.started).toBe(0);
    expect(deps.measure.measured).toEqual([]);
    const asked = await selectBackendWith({ requested: 'webgpu' }, deps);
    expect(asked).toMatchObject({
      name: 'webgpu',
      reason: 'webgpu requested; using WebGPU on SwiftShader driver 5.0.0, Vulkan',
    });
    expect(asked.warnings.join()).toMatch(/software adapter .* far slower than wasm/);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('an explicit webgpu request without an adapter fails with the one sentence naming what is missing', async () => {
    await expect(selectBackendWith({ requested: 'webgpu' }, fakeImports({}))).rejects.toThrow(
      /^WebGPU found no adapter: none here\.$/,
    );
  });

  it('lists what can run here: the GPU adapter by name (software marked), or why WebGPU cannot, and tfjs-node', async () => {
    const swiftShader = fakeAdapter({ name: 'SwiftShader driver 5.0.0, Vulkan', software: true, softwareWhy: 'x' });
    expect(
      await availableBackends(fakeImports({ '@tensorflow/tfjs-node': { status: 'loaded' } }, swiftShader)),
    ).toEqual([
      { backend: 'webgpu', available: true, detail: 'SwiftShader driver 5.0.0, Vulkan (software, slow)' },
      { backend: 'tensorflow', available: true, detail: '@tensorflow/tfjs-node' },
      { backend: 'wasm', available: true, detail: 'SIMD and threads' },
      { backend: 'cpu', available: true, detail: 'slow, for checks' },
    ]);
    expect(swiftShader.started).toBe(0);
    const none = await availableBackends(fakeImports({}));
    expect(none.slice(0, 2)).toEqual([
      { backend: 'webgpu', available: false, detail: 'WebGPU found no adapter: none here.' },
      { backend: 'tensorflow', available: false, detail: 'tfjs-node is not installed' },
    ]);
  });

  it('an explicit tensorflow request takes the installed package without measuring', async () => {
    const deps = {
      ...fakeImports({ '@tensorflow/tfjs-node': installsTensorflowBackend }),
      measure: fakeTimes({ tensorflow: 90, wasm: 30 }),
    };
    expect((await selectBackendWith({ requested: 'tensorflow' }, deps)).name).toBe('tensorflow');
    expect(deps.measure.measured).toEqual([]);
  });

  it('an explicit tensorflow request without the package fails and says what to install', async () => {
    await expect(selectBackendWith({ requested: 'tensorflow' }, fakeImports({}))).rejects.toThrow(
      /npm install @tensorflow\/tfjs-node@4\.22\.0/,
    );
  });

  it('a tfjs-node that registers no backend for this tfjs is a failure naming the version to install', async () => {
    await expect(
      selectBackendWith({ requested: 'tensorflow' }, fakeImports({ '@tensorflow/tfjs-node': { status: 'loaded' } })),
    ).rejects.toThrow(/registered no "tensorflow" backend.*@tensorflow\/tfjs-node@4\.22\.0/);
  });

  it('cpu only when asked, with a warning that it is far too slow', async () => {
    const report = await selectBackendWith({ requested: 'cpu' }, fakeImports({}));
    expect(report).toMatchObject({ name: 'cpu', threads: 1, simd: false });
    expect(report.warnings.join()).toMatch(/far too slow/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name and a bad thread count with a clear message', async () => {
    await expect(selectBackendWith({ requested: 'metal' as never }, fakeImports({}))).rejects.toThrow(
      /Unknown backend "metal": choose one of auto, webgpu, tensorflow, wasm, cpu/,
    );
    await expect(selectBackendWith({ requested: 'wasm', threads: 0 }, fakeImports({}))).rejects.toThrow(
      /threads must be a whole number/,
    );
  });

  it('importOptional tells a package that is not installed from one that is', async () => {
    expect(await importOptional('@tensorflow/tfjs-node-definitely-absent')).toEqual({ status: 'missing' });
    expect(await importOptional('@tensorflow/tfjs-core')).toEqual({ status: 'loaded' });
  });

  it('wasm threads: reports the thread count it runs and gives the same results as one thread', async () => {
    const threaded = await selectBackend({ requested: 'wasm', threads: 2 });
    expect(threaded).toMatchObject({ name: 'wasm', threads: 2, simd: true });
    expect(threaded.reason).toBe('wasm requested; using wasm with 2 threads, SIMD');
    expect(threaded.warnings).toEqual([]);
    const withThreads = workload();
    // Same request again: the running backend is kept.
    expect(await selectBackend({ requested: 'wasm', threads: 2 })).toBe(threaded);
    const single = await selectBackend({ requested: 'wasm', threads: 1 });
    expect(single.threads).toBe(1);
    const withOne = workload();
    withThreads.forEach((a, i) => {
      const scale = Math.max(...Array.from(a, Math.abs));
      const diff = a.reduce((m, v, k) => Math.max(m, Math.abs(v - withOne[i]![k]!)), 0);
      expect(diff / scale).toBeLessThan(1e-6);
    });
  });

  it('caps wasm threads at the 8 the build supports, with a warning', async () => {
    const report = await selectBackend({ requested: 'wasm', threads: 12 });
    expect(report.threads).toBe(8);
    expect(report.warnings.join()).toMatch(/at most 8 threads/);
    expect(workload()[0]!.length).toBe(4 * 12 * 10 * 16);
  });

  it('refuses to swap the wasm backend under live tensors', async () => {
    await selectBackend({ requested: 'wasm', threads: 1 });
    const live = tf.ones([2]);
    await expect(selectBackend({ requested: 'wasm', threads: 2 })).rejects.toThrow(/already holds \d+ tensors/);
    await expect(selectBackendWith({ requested: 'auto', threads: 2 }, fakeImports({}))).rejects.toThrow(
      /already holds \d+ tensors/,
    );
    live.dispose();
  });
});

describe('usableCores', () => {
  const files = (entries: Record<string, string>) => (path: string) => entries[path] ?? null;
  it('is the CPU count without a quota', () => {
    expect(usableCores(files({}), 16)).toBe(16);
    expect(
      usableCores(
        files({
          '/sys/fs/cgroup/cpu.max': 'max 100000\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
        }),
        16,
      ),
    ).toBe(16);
  });

  it('follows a cgroup v2 or v1 quota, rounding a fractional one down', () => {
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n' }), 16)).toBe(2);
    expect(
      usableCores(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '350000\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
        }),
        16,
      ),
    ).toBe(3);
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' }), 16)).toBe(1);
  });

  it('never exceeds the CPUs the process may run on', () => {
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': '800000 100000' }), 2)).toBe(2);
  });
});
