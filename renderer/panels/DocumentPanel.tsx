import { useEditor, useStudio } from '../app/studio';
import { setSetting } from '../store/settings-edits';
import { FieldInput } from './FieldInput';

/** The document's name, description and where its design comes from. */
export function DocumentPanel() {
  const studio = useStudio();
  const doc = useEditor((s) => s.doc);
  const path = useEditor((s) => s.file.path);
  const commit = (key: 'name' | 'description') => (value: unknown) => {
    const result = studio.editor
      .getState()
      .execute(setSetting([key], value, key === 'name' ? 'Rename graph' : 'Edit description'));
    return result.ok ? undefined : result.reason;
  };
  return (
    <div className="document-panel">
      <FieldInput
        field={{ kind: 'text', key: 'name', minLength: 1, maxLength: 200, required: true }}
        label="Name"
        value={doc.name}
        onCommit={commit('name')}
        testId="doc"
      />
      <div className="field">
        <label htmlFor="doc-description">Description</label>
        <textarea
          id="doc-description"
          rows={5}
          maxLength={5000}
          defaultValue={doc.description}
          key={doc.description}
          onBlur={(e) => e.target.value !== doc.description && commit('description')(e.target.value)}
        />
      </div>
      <div className="field">
        <label>File</label>
        <code className="readonly">{path ?? 'not saved yet'}</code>
      </div>
      {doc.provenance && (
        <>
          <h4>Follows: {doc.provenance.follows}</h4>
          <ul className="notes">
            {doc.provenance.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
