import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { ACCEPTED } from './classify';
import { filesFromDataTransfer, filesFromInput } from './collectDrop';
import { DatasetImportPreview } from './DatasetImportPreview';
import { importDropped } from './importDropped';
import { useImports } from './importState';

const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** Shows the overlay while files are dragged over the page, and takes the drop. */
function usePageDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0; // dragenter/dragleave fire for every element crossed
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overPage = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e) || !e.dataTransfer) return;
      e.preventDefault(); // the browser must not open the file instead
      depth = 0;
      setOver(false);
      filesFromDataTransfer(e.dataTransfer)
        .then(importDropped)
        .catch((err) =>
          useStrata
            .getState()
            .addAlert('error', `The dropped files could not be read: ${errorMessage(err)}`),
        );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overPage);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overPage);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

/**
 * The page's one drop zone: drop files or folders anywhere, or pick them with the two labelled
 * pickers; recognition sends them to the dataset, model, activations or session importer.
 */
export function DropZone() {
  const over = usePageDrop();
  const reading = useImports((s) => s.progress !== null);
  const filesId = useId();
  const folderId = useId();
  const folderRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // React does not know the attribute; set it on the element so the picker opens folders.
    folderRef.current?.setAttribute('webkitdirectory', '');
  }, []);
  const onPick = (e: React.ChangeEvent<HTMLInputElement>) => {
    const files = filesFromInput(e.target.files);
    e.target.value = ''; // picking the same file again fires change again
    if (files.length) void importDropped(files);
  };
  return (
    <section className="panel panel-import" aria-labelledby="import-title">
      <h2 id="import-title">Your files</h2>
      <p className="panel-help">
        Drop a dataset, a model or activations anywhere on the page, or pick them here. Files are
        read on this machine, in the engine’s worker; nothing is uploaded.
      </p>
      <div className="import-pickers">
        <div className="field">
          <label htmlFor={filesId}>Open files</label>
          <input
            id={filesId}
            type="file"
            multiple
            disabled={reading}
            onChange={onPick}
            data-testid="import-files"
          />
        </div>
        <div className="field">
          <label htmlFor={folderId}>Open a folder</label>
          <input
            id={folderId}
            ref={folderRef}
            type="file"
            disabled={reading}
            onChange={onPick}
            data-testid="import-folder"
          />
        </div>
      </div>
      <details className="import-accepted">
        <summary>What can I drop?</summary>
        <p>{ACCEPTED}</p>
      </details>
      <DatasetImportPreview />
      {over &&
        // On <body>: a panel's containment would clip a fixed overlay to the panel.
        createPortal(
          <div className="drop-overlay" role="presentation" data-testid="drop-overlay">
            <p>Drop a dataset, a model or activations</p>
          </div>,
          document.body,
        )}
    </section>
  );
}
