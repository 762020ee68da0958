/**
 * Thrown by a contender that cannot go on (a peer whose child process died
 * under it): runScenario drops it from the remaining rounds and reports it as
 * not run, with this message, instead of failing the whole run. Our own
 * contenders never throw it: a failure of theirs is a bug and must stop the run.
 */
export class NotRun extends Error {
  override readonly name = 'NotRun';
}
