import { Modal } from './Modal';
import { useStudio } from './studio';

/** Help → Getting started: the way from a preset to an exported model, one short section per step. */
export function GettingStartedDialog() {
  const studio = useStudio();
  const close = () => studio.ui.setState({ dialog: null });
  return (
    <Modal
      title="Getting started"
      onClose={close}
      wide
      testId="getting-started"
      footer={
        <>
          <span className="muted small">Keyboard shortcuts: Help → Keyboard shortcuts (F1).</span>
          <span className="spacer" />
          <button className="button primary" onClick={close}>
            Close
          </button>
        </>
      }
    >
      <div className="getting-started">
        <section>
          <h4>1. Load a preset</h4>
          <p>
            <b>File → New from preset…</b> opens the gallery: SAGAN-MNIST trains in minutes on the built-in digits,
            SAGAN-32 and SAGAN-128 follow the paper at larger sizes. The generator (G) and discriminator (D) appear side
            by side; each block shows its output shape, resolution (feat<i>k</i> for a <i>k</i>×<i>k</i> feature map),
            parameters and memory. Save with <b>File → Save</b> to keep the graph and list its runs.
          </p>
        </section>
        <section>
          <h4>2. Move attention</h4>
          <p>
            Select the <b>Self-attention</b> block and press <kbd>Delete</kbd>: the block before it is joined to the one
            after. Then drag <b>Self-attention</b> from the palette onto the connection leaving the block that makes the
            feature map you want (SAGAN-128 in the paper has it at feat32 in G). The block's tag shows the new
            resolution and the attention memory, which grows with the square of the positions. To measure which
            placement is best, select the block and use <b>Compare attention placements…</b> in the inspector.
          </p>
        </section>
        <section>
          <h4>3. Train</h4>
          <p>
            <b>Train → Start training…</b> (or ▶ in the toolbar) checks the data (folder, image count per class, size)
            and estimates the time per iteration before you start. The training view shows losses, σ of the spectral
            norms, D's scores, sample grids and γ of each attention block (γ near 0: attention is not used yet). Pause,
            continue or stop at any time; stopping keeps a checkpoint.
          </p>
        </section>
        <section>
          <h4>4. Read the attention explorer</h4>
          <p>
            Click a pixel of a sample (up to eight, each in its own colour) to see where it attends, in every attention
            block. The colour is the attention weight relative to uniform: 1× is an even share over all positions, “peak
            4×” means the strongest position gets four times that. The distance is the mean distance from the query to
            what it attends, in pixels of the sample. Move the scrubber to look at an earlier step.
          </p>
        </section>
        <section>
          <h4>5. Export</h4>
          <p>
            <b>Train → Export model…</b> writes the newest checkpoint to a folder as a TensorFlow.js model or as a
            PyTorch package for training on GPUs. Its README states how it was trained and where attention sits; the
            message after the export opens the folder (desktop) or copies its path (browser).
          </p>
        </section>
      </div>
    </Modal>
  );
}
