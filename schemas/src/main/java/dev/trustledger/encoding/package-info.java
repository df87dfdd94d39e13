/** Text encodings of bytes used by the wire contract: base32 ids, base64url JSON, hex. */
package dev.trustledger.encoding;
