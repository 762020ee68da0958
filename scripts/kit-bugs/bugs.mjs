// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the edits are source text of the built adapters, template literals included
// Realistic bugs an event-store author could ship, as edits to the built
// adapters: [file in dist/, text to find, replacement]. Each must apply to the
// current build, else the script stops and says which no longer matches.

const reviver = "(_k, v) => typeof v === 'string' && /^\\d{4}-\\d{2}-\\d{2}T/.test(v) ? new Date(v) : v";

/** @type {{ id: string, adapter: 'sqlite' | 'postgres', what: string, edits: [string, string, string][], grep?: string }[]} `grep` picks the cases the bug's class is about (vitest -t), so a run takes a minute, not ten; --grep '' runs the whole suite */
export const bugs = [
  {
    id: 'sqlite-begin-deferred',
    grep: 'C2.5|C1.5-histories-across-processes',
    adapter: 'sqlite',
    what: 'BEGIN DEFERRED: the write lock is taken at the INSERT, after the last seq was read',
    edits: [['sqlite-statements.js', "begin: db.prepare('BEGIN IMMEDIATE')", "begin: db.prepare('BEGIN DEFERRED')"]],
  },
  {
    id: 'sqlite-busy-timeout-5ms',
    grep: 'C2.5|C8.8|C1.5-histories-across-processes',
    adapter: 'sqlite',
    what: 'a 5 ms default busy timeout',
    edits: [['sqlite-options.js', 'busyTimeout = 5_000,', 'busyTimeout = 5,']],
  },
  {
    id: 'sqlite-max-seq-outside-lock',
    grep: 'C2.5|C1.5-histories-across-processes',
    adapter: 'sqlite',
    what: 'the last seqs are read before BEGIN IMMEDIATE, outside the write lock',
    edits: [
      [
        'sqlite-append-writer.js',
        '        const lasts = new Map();\n        sql.begin.run();',
        '        const lasts = new Map();\n        for (const { stream } of appends) if (!lasts.has(stream)) lasts.set(stream, this.#sql.lastSeq.get(stream) ?? 0);\n        sql.begin.run();',
      ],
    ],
  },
  {
    id: 'sqlite-busy-pragma-dropped',
    grep: 'C8.8',
    adapter: 'sqlite',
    what: "the busy_timeout pragma is not set: a handed-in Database keeps its driver's timeout",
    edits: [['open-sqlite-database.js', 'db.pragma(`busy_timeout = ${options.busyTimeout}`);', '']],
  },
  {
    id: 'sqlite-page-without-order-by',
    grep: 'MUST C4\\.|MUST C1\\.[34]',
    adapter: 'sqlite',
    what: 'the page query has no ORDER BY',
    edits: [['sqlite-statements.js', 'AND seq > ? ORDER BY seq LIMIT ?', 'AND seq > ? LIMIT ?']],
  },
  {
    id: 'sqlite-page-gte',
    grep: 'MUST C4\\.1',
    adapter: 'sqlite',
    what: 'pages are read with seq >= after',
    edits: [['sqlite-statements.js', 'AND seq > ? ORDER BY seq', 'AND seq >= ? ORDER BY seq']],
  },
  {
    id: 'sqlite-guess-unchecked',
    grep: 'C1.3|C2.5|C1.5',
    adapter: 'sqlite',
    what: 'the fast path inserts at the guessed seq without checking it is still the last',
    edits: [
      [
        'sqlite-statements.js',
        'WHERE (SELECT coalesce(max(seq), 0) FROM ${tables.events} WHERE stream = ?) = ?`)',
        'WHERE ? IS NOT NULL AND ? IS NOT NULL`)',
      ],
    ],
  },
  {
    id: 'sqlite-fast-path-ignores-expect',
    grep: 'MUST C2\\.',
    adapter: 'sqlite',
    what: 'the fast path takes any expect',
    edits: [['sqlite-append-writer.js', '(expect == null || expect === known)', 'true']],
  },
  {
    id: 'sqlite-reviver',
    grep: 'MUST C5\\.1',
    adapter: 'sqlite',
    what: 'payloads are parsed with a reviver that turns ISO timestamps into Dates',
    edits: [
      ['parse-sqlite-page.js', 'JSON.parse(payload)', `JSON.parse(payload, ${reviver})`],
      ['parse-sqlite-page.js', "JSON.parse(`[${texts.join(',')}]`)", `JSON.parse(\`[\${texts.join(',')}]\`, ${reviver})`],
    ],
  },
  {
    id: 'postgres-page-without-order-by',
    grep: 'MUST C4\\.|MUST C1\\.[345]',
    adapter: 'postgres',
    what: 'the page query has no ORDER BY',
    edits: [['postgres-statements.js', 'AND seq > $2 ORDER BY seq LIMIT $3', 'AND seq > $2 LIMIT $3']],
  },
  {
    id: 'postgres-page-gte',
    grep: 'MUST C4\\.1',
    adapter: 'postgres',
    what: 'pages are read with seq >= after',
    edits: [['postgres-statements.js', 'AND seq > $2 ORDER BY seq', 'AND seq >= $2 ORDER BY seq']],
  },
  {
    id: 'postgres-lost-connection-retried',
    grep: 'C8.4|C8.7',
    adapter: 'postgres',
    what: 'a lost connection is retried like a serialization failure, appends included',
    edits: [
      [
        'postgres-event-store.js',
        'if (isRetryable(error) && attempt <= MAX_RETRIES)',
        'if ((isRetryable(error) || isConnectionLost(error)) && attempt <= MAX_RETRIES)',
      ],
    ],
  },
  {
    id: 'postgres-read-ends-on-lost-connection',
    grep: 'C8.4',
    adapter: 'postgres',
    what: 'a read that loses its connection ends early, as if the stream ended',
    edits: [
      [
        'postgres-event-store.js',
        'if (readOnly && !reconnected && isConnectionLost(error)) {',
        'if (readOnly && isConnectionLost(error)) return { rows: [], rowCount: 0 };\n                if (readOnly && !reconnected && isConnectionLost(error)) {',
      ],
    ],
  },
  {
    id: 'postgres-lost-connection-as-conflict',
    grep: 'C8.4',
    adapter: 'postgres',
    what: 'an append with expect that loses its connection is reported as a conflict',
    edits: [
      [
        'postgres-event-store.js',
        'const outcome = await this.#submit(stream, [json], expect ?? undefined);',
        'const outcome = await this.#submit(stream, [json], expect ?? undefined).catch((error) => { if (expect != null && isConnectionLost(error?.cause)) return { ok: false, actual: expect + 1 }; throw error; });',
      ],
    ],
  },
  {
    id: 'postgres-reviver',
    grep: 'MUST C5\\.1',
    adapter: 'postgres',
    what: 'payloads are parsed with a reviver that turns ISO timestamps into Dates',
    edits: [['postgres-event-store.js', "JSON.parse(payload ?? 'null')", `JSON.parse(payload ?? 'null', ${reviver})`]],
  },
];
