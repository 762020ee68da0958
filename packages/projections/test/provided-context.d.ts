// What @hume/postgres's test/global-setup.ts (this package's vitest globalSetup) provides.
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    schemaPrefix: string;
  }
}

export {};
