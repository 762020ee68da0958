// A Stryker reporter that writes one line per mutant as soon as it is
// tested (`reports/mutation/<suite>.log` in the adapter's folder), so that
// the survivors of a run that takes an hour can be read while it runs.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';

const suite = process.env.HUME_MUTATION_SUITE ?? 'kit';
const file = `reports/mutation/${suite}.log`;

function createMutantLog() {
  mkdirSync('reports/mutation', { recursive: true });
  writeFileSync(file, '');
  return {
    onMutantTested(mutant) {
      const where = `${mutant.fileName.replace(/^.*?\/src\//, 'src/')}:${mutant.location.start.line}:${mutant.location.start.column + 1}`;
      const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100);
      appendFileSync(file, `${mutant.status}\t${where}\t${mutant.mutatorName}\t${replacement}\n`);
    },
  };
}
createMutantLog.inject = [];

export const strykerPlugins = [{ kind: 'Reporter', name: 'mutant-log', factory: createMutantLog }];
