// The self-signed certificate the TLS emulation serves, made once per process at first use:
// an RSA 2048 key from Node's crypto and an X.509 v3 certificate built with node-forge, shaped
// like the "snakeoil" certificate Ubuntu's ssl-cert package installs (CN and SAN = host name).

import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export const CERT_HOST_NAME = 'ubuntu';
const VALID_YEARS = 10;

export interface KeyAndCert {
  key: string;
  cert: string;
}

let cached: Promise<KeyAndCert> | null = null;

/** The process's certificate; the key is generated off the event loop on the first call. */
export function serverCertificate(): Promise<KeyAndCert> {
  cached ??= generate(CERT_HOST_NAME);
  return cached;
}

const newKeyPair = promisify(generateKeyPair);

export async function generate(hostName: string): Promise<KeyAndCert> {
  const { privateKey, publicKey } = await newKeyPair('rsa', { modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive 20-byte serial, as OpenSSL writes for `req -x509`.
  cert.serialNumber = `0${randomBytes(19).toString('hex')}`;
  const from = new Date(Date.now() - 86_400_000 * 30);
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + VALID_YEARS * 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: hostName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    { name: 'basicConstraints', cA: false },
    { name: 'subjectAltName', altNames: [{ type: 2, value: hostName }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}
