// Scores a mutant log (reports/mutation/<suite>.log, one line per mutant tested) that a run
// made at an earlier commit, against the adapter's source as it is now: each mutant's line is
// carried over to today's file by a line diff, and a mutant now inside a region outside the
// contract, or on a line under a `// Stryker disable next-line` that names its mutator, leaves
// the contract's score (as in mutation-score.mjs). A full run of the PostgreSQL kit takes longer
// than a working session, so runs are made file by file and their logs kept; this tells what
// they come to once markers and equivalent mutants were recorded after the run.
//
//   node scripts/mutation/rescore-log.mjs packages/postgres <commit>:<log>...
//   node scripts/mutation/rescore-log.mjs --survivors packages/postgres <commit>:<log>...   also lists each survivor at today's line
//
// Each log goes with the commit its run mutated; a mutant tested in several logs counts with its
// outcome in the last one (a file run again after the kit changed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRows, outsideContract, score } from './mutation-score.mjs';

/** For each 1-based line of `before`, its 1-based line in `after`, or undefined when it changed (a longest common subsequence of lines). */
export function lineMap(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const map = new Map();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) map.set(++i, ++j);
    else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return map;
}

/**
 * The mutators disabled on `line` (1-based), and why: by a `// Stryker disable next-line A,B: why`
 * comment right above it, or by a `// Stryker disable A,B: why` above it that no `// Stryker
 * restore` of those mutators has ended yet.
 */
export function disabledOn(source, line) {
  const lines = source.split('\n');
  const block = new Map();
  for (const text of lines.slice(0, Math.max(0, line - 1))) {
    const disable = /\/\/ Stryker disable (?!next-line)([\w,]+)(?:: (.*))?/.exec(text);
    if (disable) for (const mutator of disable[1].split(',')) block.set(mutator, disable[2] ?? '');
    const restore = /\/\/ Stryker restore ([\w,]+)/.exec(text);
    if (restore) for (const mutator of restore[1].split(',')) mutator === 'all' ? block.clear() : block.delete(mutator);
  }
  const match = /\/\/ Stryker disable next-line ([\w,]+)(?:: (.*))?/.exec(lines[line - 2] ?? '');
  const mutators = new Set([...block.keys(), ...(match ? match[1].split(',') : [])]);
  const reason = match?.[2] ?? [...block.values()][0] ?? '';
  return { mutators, reason };
}

/** A reason that says the mutant costs speed, latency or memory only: such mutants are also scored as they were tested. */
const COST_ONLY = /^(performance|latency|memory) only/;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const listSurvivors = process.argv[2] === '--survivors';
  const [adapterDir, ...runs] = process.argv.slice(listSurvivors ? 3 : 2);
  if (!adapterDir || runs.length === 0 || runs.some((run) => !/^[0-9a-f]{4,40}:./.test(run))) {
    console.error('usage: node scripts/mutation/rescore-log.mjs packages/<adapter> <commit of the run>:<log>...');
    process.exit(2);
  }
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const adapterPath = resolve(adapterDir).slice(root.length + 1);
  const files = new Map();
  const fileOf = (commit, name) => {
    const key = `${commit}:${name}`;
    if (!files.has(key)) {
      const before = execFileSync('git', ['show', `${commit}:${adapterPath}/${name}`], { cwd: root, encoding: 'utf8' });
      const now = readFileSync(resolve(adapterDir, name), 'utf8');
      files.set(key, { now, map: lineMap(before, now), outside: outsideContract(now) });
    }
    return files.get(key);
  };
  // Mutants are told apart by where they sit today, their mutator and replacement; the last log's outcome wins.
  const mutants = new Map();
  let moved = 0;
  for (const run of runs) {
    const commit = run.slice(0, run.indexOf(':'));
    for (const row of readFileSync(run.slice(commit.length + 1), 'utf8').split('\n')) {
      const [status, where, mutator, replacement] = row.split('\t');
      if (!where) continue;
      const [name, line, column] = where.split(':');
      const file = fileOf(commit, name);
      const now = file.map.get(Number(line));
      if (now === undefined) moved++;
      mutants.set(`${name}:${now ?? `${commit}:${line}`}:${column}\t${mutator}\t${replacement}`, {
        status,
        name,
        now,
        mutator,
        replacement,
        file,
      });
    }
  }
  const rows = [];
  const perFile = new Map();
  const survivors = [];
  for (const { status, name, now, mutator, replacement, file } of mutants.values()) {
    const outside = now !== undefined && file.outside.some(([from, to]) => now >= from && now <= to);
    const { mutators, reason } = now === undefined ? disabledOn('', 0) : disabledOn(file.now, now);
    const disabled = mutators.has(mutator) || mutators.has('all');
    const mutant = { status: disabled ? 'Ignored' : status, tested: status, outside, costOnly: disabled && COST_ONLY.test(reason) };
    rows.push(mutant);
    if (listSurvivors && !outside && ['Survived', 'NoCoverage'].includes(mutant.status))
      survivors.push(`${mutant.status}\t${name}:${now ?? '?'}\t${mutator}\t${replacement}`);
    if (!perFile.has(name)) perFile.set(name, []);
    perFile.get(name).push(mutant);
  }
  const adapter = adapterPath.split('/').at(-1);
  const lines = [...perFile.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => ({
      adapter,
      suite: 'kit',
      scope: name.replace(/^src\//, '').slice(0, 21),
      ...score(list.filter((m) => !m.outside)),
    }));
  const outsideCount = rows.filter((m) => m.outside).length;
  const contract = rows.filter((m) => !m.outside);
  lines.push({ adapter, suite: 'kit', scope: `contract (${outsideCount} outside)`, ...score(contract) });
  const costOnly = contract.filter((m) => m.costOnly).length;
  lines.push({
    adapter,
    suite: 'kit',
    scope: `${costOnly} cost-only counted`,
    ...score(contract.map((m) => (m.costOnly ? { ...m, status: m.tested } : m))),
  });
  if (listSurvivors) console.log(survivors.sort().join('\n'));
  console.log(formatRows(lines));
  if (moved > 0) console.log(`${moved} mutant(s) sit on lines changed since their run: scored as they were`);
}
