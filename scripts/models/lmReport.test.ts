import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LM_SECTION, writeLmSection } from './lmReport';

const models = resolve(import.meta.dirname, '..', '..', 'public', 'models');
const dir = mkdtempSync(join(tmpdir(), 'strata-lm-report-'));

describe('writeLmSection', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the models' lens figures as the README's last section, replacing the old one", async () => {
    for (const name of ['imdb-lm-standard', 'imdb-lm-aligned'])
      for (const file of ['lens.json', 'metrics.json'])
        cpSync(join(models, name, file), join(dir, name, file));
    writeFileSync(
      join(dir, 'README.md'),
      `# Built-in\n\nclassifiers\n\n${LM_SECTION}\n\nold figures\n`,
    );
    await writeLmSection(dir);
    await writeLmSection(dir); // twice: the section is replaced, not appended again
    const text = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(text.startsWith('# Built-in\n\nclassifiers\n\n## Language models\n')).toBe(true);
    expect(text).not.toContain('old figures');
    expect(text.split(LM_SECTION)).toHaveLength(2);
    const lens = JSON.parse(readFileSync(join(models, 'imdb-lm-aligned', 'lens.json'), 'utf8'));
    const row = `| \`imdb-lm-aligned\` | ${lens.accuracy.map((a: number) => (a * 100).toFixed(2)).join(' | ')} |`;
    expect(text).toContain(row);
    expect(text).toContain(
      `| \`imdb-lm-aligned\` | ${lens.perplexity.map((p: number) => p.toFixed(1)).join(' | ')} |`,
    );
    // The committed README holds the same figures.
    expect(readFileSync(join(models, 'README.md'), 'utf8')).toContain(row);
  });
});
