// Emmett SQLite's appends, served to forkedContender from a process of their
// own: concurrent, on its one shared connection, they now and then throw from
// inside node-sqlite3's callbacks (`SQLITE_BUSY: cannot commit transaction -
// SQL statements in progress`), past every catch, which ends the process.
//   fork dist/emmett-sqlite-child.js <name> <file> <FULL|NORMAL> <writers> <stream label> [stream]
import { emmettAppends } from './emmett-contenders.js';
import { type EmmettSqlite, openEmmettSqlite } from './emmett-sqlite.js';
import { serveContender } from './serve-contender.js';

const [name = '', file = '', synchronous, writers = '1', label = 'emmett', stream = ''] = process.argv.slice(2);
let opened: EmmettSqlite | undefined;
const appends = emmettAppends(name, () => opened!.store, Number(writers), stream === '' ? undefined : stream, label);
serveContender(
  {
    ...appends,
    async setup() {
      opened = await openEmmettSqlite(file, synchronous === 'NORMAL' ? 'NORMAL' : 'FULL');
    },
    async teardown() {
      opened?.close();
    },
  },
  () => opened?.settings ?? '',
);
