import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface PublishedPackage {
  readonly name: string;
  readonly folder: string;
}

/** The packages under packages/ that are published (not private). */
export function publishedPackages(): PublishedPackage[] {
  return readdirSync(`${root}packages`)
    .map((name) => `${root}packages/${name}`)
    .map((folder) => ({
      folder,
      manifest: JSON.parse(readFileSync(`${folder}/package.json`, 'utf8')) as { name: string; private?: boolean },
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ folder, manifest }) => ({ name: manifest.name, folder }));
}
