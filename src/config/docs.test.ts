import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './load.js';
import { configSchema } from './schema.js';

const ROOT = new URL('../../', import.meta.url);

/** Dotted keys of the schema's objects, e.g. `connection.idle_timeout_ms`. */
function schemaKeys(): string[] {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  return Object.entries(defaults).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.keys(value).map((inner) => `${key}.${inner}`)
      : [key]);
}

describe('configuration docs', () => {
  it('documents every config key in docs/configuration.md', () => {
    const docs = readFileSync(new URL('docs/configuration.md', ROOT), 'utf8');
    for (const key of schemaKeys()) expect(docs).toContain(`| \`${key}\` |`);
  });

  it('ships an example config that holds every key and loads cleanly', () => {
    const path = new URL('mitsu.example.yaml', ROOT).pathname;
    const example = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    for (const key of schemaKeys()) {
      const [outer, inner] = key.split('.') as [string, string | undefined];
      expect(example).toHaveProperty(inner === undefined ? outer : [outer, inner]);
    }
    expect(loadConfig(path).sensor.name).toBe('my-sensor');
  });
});
