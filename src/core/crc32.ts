/**
 * CRC-32 (IEEE, as zlib) of an ASCII string, table-driven in plain JS. `zlib.crc32(string)` first
 * encodes the string to UTF-8 in native code, which costs more than the checksum itself on the
 * validator's hot path. Token bodies are ASCII by the time this runs.
 */
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	TABLE[n] = c;
}

export function crc32Ascii(text: string, end = text.length): number {
	let crc = -1;
	for (let i = 0; i < end; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
	return (crc ^ -1) >>> 0;
}
