// Texts for the logit lens from a user's file: .txt (a text per line), .jsonl ("text") or
// .csv / .tsv (a text column), read by the same reader as the command line's --text.
import { readLmTexts, TEXT_FILE_EXTENSIONS } from '../../engine/import/lmTexts';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { useLens } from './lensState';

export { TEXT_FILE_EXTENSIONS };

const LIMIT = 64 * 1024 * 1024;

/** Whether a file's name says it holds texts the lens reads. */
export function isLensTextFile(path: string): boolean {
  const lower = path.toLowerCase();
  return TEXT_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Reads `file` as the lens's texts. A file that cannot be read is named in the alert region and
 * the texts the page had stay. Never throws.
 */
export async function openLensTexts(file: Blob, path: string): Promise<void> {
  const { addAlert } = useStrata.getState();
  try {
    if (!isLensTextFile(path))
      throw new Error(`${path}: expected a ${TEXT_FILE_EXTENSIONS.join(', ')} file of texts`);
    if (file.size > LIMIT) throw new Error(`${path}: ${file.size} bytes, expected at most 64 MB`);
    const texts = readLmTexts(new Uint8Array(await file.arrayBuffer()), path).filter(
      (t) => t.trim() !== '',
    );
    if (texts.length === 0) throw new Error(`${path}: no text, expected one or more`);
    useLens.setState({ texts: { source: path, texts } });
  } catch (e) {
    addAlert('error', `Texts not opened: ${errorMessage(e)}`);
  }
}
