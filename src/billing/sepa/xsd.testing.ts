// For tests only: validates an XML string against one of the ISO 20022 schemas in ./xsd with libxml2 (WebAssembly).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';

const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xsd');

/** Throws libxml2's XmlValidateError (message names element and expectation) when `xml` does not match `schema`. */
export function validateAgainstXsd(xml: string, schema: string): void {
  const xsd = XmlDocument.fromString(fs.readFileSync(path.join(XSD_DIR, `${schema}.xsd`), 'utf8'));
  const validator = XsdValidator.fromDoc(xsd);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
  } finally {
    doc.dispose();
    validator.dispose();
    xsd.dispose();
  }
}
