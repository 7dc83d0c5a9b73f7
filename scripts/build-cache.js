// Run by `npm ci` (the `prepare` script) after the build: parses the ASN tables once and
// keeps their binary copy in node_modules/.cache/mitsu, so no start of the sensor, as any
// user, spends a second or two parsing them. Safe to run again; it only reads if present.
import { Enricher } from '../dist/enrich/enricher.js';

const started = performance.now();
Enricher.open().close();
const ms = Math.round(performance.now() - started);
process.stderr.write(`mitsu: enrichment data ready in ${ms} ms\n`);
