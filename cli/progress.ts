import type { TrainEvent } from '../electron/engine/core/train/events';
import type { CliIO } from './io';

const clock = (sec: number) => {
  if (!Number.isFinite(sec)) return '--:--';
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

/** "step 1000: FD (digit classifier) 41.2, KID … ; 2000 samples (EMA) in 38.1 s, 3.1% of the training time since the last". */
export function qualityLine(e: Extract<TrainEvent, { type: 'quality' }>): string {
  const parts = [`${e.names.fd} ${e.fd.toFixed(2)}`, `${e.names.kid} ${e.kid.toFixed(4)} ± ${e.kidStd.toFixed(4)}`];
  if (e.accuracy !== null) parts.push(`class accuracy ${(100 * e.accuracy).toFixed(1)}%`);
  const share =
    e.trainSeconds > 0
      ? `, ${((100 * e.seconds) / (e.seconds + e.trainSeconds)).toFixed(1)}% of the time since the last measurement`
      : '';
  return `step ${e.step}: ${parts.join(', ')}; ${e.samples} samples${e.ema ? ' (EMA weights)' : ''} measured in ${e.seconds.toFixed(1)} s${share}`;
}

/** Renders training events: a live bar on a terminal, plain lines (every `every` steps) otherwise. */
export function progressPrinter(io: CliIO, every = 10) {
  let barShown = false;
  const line = (text: string) => {
    if (barShown && io.isTTY) process.stdout.write('\r\x1b[2K');
    barShown = false;
    io.out(text);
  };
  return (e: TrainEvent) => {
    switch (e.type) {
      case 'started':
        line(
          `${e.resumed ? 'Resuming' : 'Training'} run ${e.runId} from step ${e.step} of ${e.totalSteps} on ${e.backend} (${e.backendReason})`,
        );
        break;
      case 'step': {
        const losses = `D ${e.lossD.toFixed(3)} (real ${e.lossDReal.toFixed(3)}, fake ${e.lossDFake.toFixed(3)})  G ${e.lossG.toFixed(3)}`;
        const rate = `${e.itPerSec.toFixed(2)} it/s  ETA ${clock(e.etaSec)}`;
        if (io.isTTY) {
          const width = 24;
          const done = Math.round((e.step / e.totalSteps) * width);
          process.stdout.write(
            `\r\x1b[2Kstep ${e.step}/${e.totalSteps} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${rate}  ${losses}`,
          );
          barShown = true;
        } else if (e.step % every === 0 || e.step === 1 || e.step === e.totalSteps) {
          io.out(
            `step ${e.step}/${e.totalSteps}  ${rate}  ${losses}  γ ${e.gammas.map((g) => `${g.nodeId}=${g.gamma.toFixed(4)}`).join(' ')}`,
          );
        }
        break;
      }
      case 'sample':
        if (e.file) line(`step ${e.step}: samples → ${e.file}`);
        break;
      case 'checkpoint':
        line(`step ${e.step}: checkpoint → ${e.path}`);
        break;
      case 'quality':
        line(qualityLine(e));
        break;
      case 'notice':
        line(`${e.level}: ${e.message}`);
        break;
      case 'paused':
      case 'resumed':
      case 'attention':
        break;
      case 'stopped':
        line(`${e.reason === 'finished' ? 'Done' : e.reason === 'stopped' ? 'Stopped' : 'Failed'}: ${e.message}`);
        break;
    }
  };
}
