import { describe, expect, it } from 'vitest';
import { filesFromDataTransfer, filesFromInput } from './collectDrop';

/** A fake File and Directory Entries tree: folders hand out their entries two at a time. */
function dir(name: string, children: FileSystemEntry[]): FileSystemEntry {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (e: FileSystemEntry[]) => void) {
          ok(children.slice(at, at + 2));
          at += 2;
        },
      };
    },
  } as unknown as FileSystemEntry;
}
function leaf(name: string): FileSystemEntry {
  return {
    name,
    isFile: true,
    isDirectory: false,
    file: (ok: (f: File) => void) => ok(new File([name], name)),
  } as unknown as FileSystemEntry;
}

describe('filesFromDataTransfer', () => {
  it('walks dropped folders (in batches) and keeps loose files, with relative paths', async () => {
    const tree = dir('digits', [
      dir('0', [leaf('a.png'), leaf('b.png'), leaf('c.png')]),
      dir('1', [leaf('d.png')]),
      leaf('README'),
    ]);
    const loose = new File(['x'], 'extra.csv');
    const items = [
      { kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => loose },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ];
    const files = await filesFromDataTransfer({ items, files: [] } as unknown as DataTransfer);
    expect(files.map((f) => f.path)).toEqual([
      'extra.csv',
      'digits/0/a.png',
      'digits/0/b.png',
      'digits/0/c.png',
      'digits/1/d.png',
      'digits/README',
    ]);
    expect(await files[1].file.text()).toBe('a.png');
  });

  it('falls back to the file list, and pickers keep a folder’s relative paths', async () => {
    const f = new File(['x'], 'a.csv');
    const files = await filesFromDataTransfer({ items: [], files: [f] } as unknown as DataTransfer);
    expect(files).toEqual([{ path: 'a.csv', file: f }]);
    const inFolder = new File(['y'], 'b.png');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'digits/1/b.png' });
    expect(filesFromInput([f, inFolder] as unknown as FileList).map((x) => x.path)).toEqual([
      'a.csv',
      'digits/1/b.png',
    ]);
  });
});
