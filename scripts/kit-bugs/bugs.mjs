// Realistic bugs an event-store author could ship, as edits to the built
// adapters: [file in dist/, text to find, replacement]. Each must apply to the
// current build, else the script stops and says which no longer matches.

/** @type {{ id: string, adapter: 'sqlite' | 'postgres', what: string, edits: [string, string, string][], grep?: string }[]} */
export const bugs = [
  {
    id: 'sqlite-begin-deferred',
    adapter: 'sqlite',
    what: 'BEGIN DEFERRED: the write lock is taken at the INSERT, after the last seq was read',
    edits: [['sqlite-statements.js', "begin: db.prepare('BEGIN IMMEDIATE')", "begin: db.prepare('BEGIN DEFERRED')"]],
  },
  {
    id: 'sqlite-busy-timeout-5ms',
    adapter: 'sqlite',
    what: 'a 5 ms default busy timeout',
    edits: [['sqlite-options.js', 'busyTimeout = 5_000 }', 'busyTimeout = 5 }']],
  },
  {
    id: 'sqlite-max-seq-outside-lock',
    adapter: 'sqlite',
    what: 'the last seq is read before BEGIN IMMEDIATE, outside the write lock',
    edits: [
      [
        'sqlite-event-store.js',
        'sql.begin.run();\n        try {\n            const last = sql.lastSeq.get(stream) ?? 0;',
        'const last = sql.lastSeq.get(stream) ?? 0;\n        sql.begin.run();\n        try {',
      ],
    ],
  },
];
