// The evidence package is a ZIP because every police workstation opens one without installing
// anything (Windows Explorer, macOS Archive Utility, unzip, 7-Zip). It is written by hand in one
// canonical form so that the verifier can pin every byte of it, not only the files' contents:
// entries are stored (method 0, no compression, so images stay byte-for-byte as kept), no flags,
// no extra fields, no comments, one fixed timestamp, entries back to back from offset 0, the
// central directory right after the last entry, and the end record at the very end. A reader that
// finds anything else (a changed header byte, a gap, trailing bytes, a data descriptor) refuses.
// No ZIP64: a package is limited to 65,535 entries and 4 GiB, far above a case's few hundred images.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_BYTES = 22;
const VERSION_NEEDED = 20;
/** Made by UNIX (3), spec 2.0: the external attributes then carry a regular file, mode 0644. */
const VERSION_MADE_BY = (3 << 8) | 20;
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const CHUNK_BYTES = 1 << 20;

export const ZIP_MAX_ENTRIES = 0xffff;
export const ZIP_MAX_BYTES = 0xffff_ffff;
/** Entry names are plain ASCII so that no tool has to guess an encoding. */
export const ZIP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,119}){0,3}$/;

export class ZipFormatError extends Error {}

export type DosTimestamp = { time: number; date: number };
export type ZipEntry = { name: string; size: number; crc32: number; headerOffset: number; dataOffset: number };
export type WrittenEntry = { name: string; size: number; crc32: number; sha256: string };

/** The timestamp every entry carries: the package's creation time on the clock of China (UTC+8, no DST). */
export function dosTimestamp(at: Date): DosTimestamp {
  const local = new Date(at.getTime() + 8 * 3600_000);
  const year = local.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new ZipFormatError('a ZIP timestamp must fall between 1980 and 2107');
  return {
    time: (local.getUTCHours() << 11) | (local.getUTCMinutes() << 5) | Math.floor(local.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((local.getUTCMonth() + 1) << 5) | local.getUTCDate(),
  };
}

export function localHeader(name: string, size: number, crc: number, at: DosTimestamp): Buffer {
  const nameBytes = Buffer.from(name, 'ascii');
  const header = Buffer.alloc(LOCAL_HEADER_BYTES + nameBytes.length);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(0, 6); // flags
  header.writeUInt16LE(0, 8); // method: stored
  header.writeUInt16LE(at.time, 10);
  header.writeUInt16LE(at.date, 12);
  header.writeUInt32LE(crc >>> 0, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(0, 28); // extra field length
  nameBytes.copy(header, LOCAL_HEADER_BYTES);
  return header;
}

export function centralHeader(name: string, size: number, crc: number, at: DosTimestamp, offset: number): Buffer {
  const nameBytes = Buffer.from(name, 'ascii');
  const header = Buffer.alloc(CENTRAL_HEADER_BYTES + nameBytes.length);
  header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(at.time, 12);
  header.writeUInt16LE(at.date, 14);
  header.writeUInt32LE(crc >>> 0, 16);
  header.writeUInt32LE(size, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(nameBytes.length, 28);
  // extra length, comment length, disk number, internal attributes: all zero
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(offset, 42);
  nameBytes.copy(header, CENTRAL_HEADER_BYTES);
  return header;
}

export function endOfCentralDirectory(count: number, directoryBytes: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(END_BYTES);
  end.writeUInt32LE(END_SIGNATURE, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directoryBytes, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return end;
}

/**
 * Writes entries one after another to a file, hashing (SHA-256 and CRC-32) as it goes. A file
 * source is streamed once in 1 MiB chunks; its local header is written first with zeros and
 * patched in place once the size and CRC are known, so nothing is held whole in memory.
 */
export class StoredZipWriter {
  private readonly entries: (WrittenEntry & { offset: number })[] = [];
  private readonly names = new Set<string>();
  private position = 0;

  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly at: DosTimestamp,
  ) {}

  /** Creates `file`, failing if it exists. */
  static async create(file: string, createdAt: Date): Promise<StoredZipWriter> {
    const at = dosTimestamp(createdAt);
    return new StoredZipWriter(await fs.open(file, 'wx', 0o600), at);
  }

  async addBytes(name: string, bytes: Uint8Array): Promise<WrittenEntry> {
    return this.add(name, async (write) => write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  }

  async addFile(name: string, sourceFile: string): Promise<WrittenEntry> {
    return this.add(name, async (write) => {
      for await (const chunk of createReadStream(sourceFile, { highWaterMark: CHUNK_BYTES })) await write(chunk as Buffer);
    });
  }

  /** Writes the central directory and the end record, flushes to disk and closes. */
  async finish(): Promise<void> {
    const directoryOffset = this.position;
    const headers = this.entries.map((e) => centralHeader(e.name, e.size, e.crc32, this.at, e.offset));
    const directory = Buffer.concat(headers);
    this.ensureRoom(directory.length + END_BYTES);
    await this.append(directory);
    await this.append(endOfCentralDirectory(this.entries.length, directory.length, directoryOffset));
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private async add(name: string, produce: (write: (chunk: Buffer) => Promise<void>) => Promise<void>): Promise<WrittenEntry> {
    if (!ZIP_NAME_PATTERN.test(name)) throw new ZipFormatError('an entry name must be plain ASCII path segments');
    if (this.names.has(name.toLowerCase())) throw new ZipFormatError('two entries would have the same name');
    if (this.entries.length >= ZIP_MAX_ENTRIES) throw new ZipFormatError('too many entries for one package');
    this.names.add(name.toLowerCase());
    const offset = this.position;
    await this.append(localHeader(name, 0, 0, this.at));
    const sha = createHash('sha256');
    let crc = 0;
    let size = 0;
    await produce(async (chunk) => {
      this.ensureRoom(chunk.length);
      sha.update(chunk);
      crc = crc32(chunk, crc);
      size += chunk.length;
      await this.append(chunk);
    });
    const header = localHeader(name, size, crc, this.at);
    await this.handle.write(header, 0, header.length, offset);
    const entry = { name, size, crc32: crc >>> 0, sha256: sha.digest('hex') };
    this.entries.push({ ...entry, offset });
    return entry;
  }

  private ensureRoom(bytes: number): void {
    // Leave room for the central directory and end record of what is already written.
    const reserved = this.entries.length * (CENTRAL_HEADER_BYTES + 480) + END_BYTES;
    if (this.position + bytes + reserved > ZIP_MAX_BYTES) throw new ZipFormatError('the package would exceed 4 GiB');
  }

  private async append(bytes: Buffer): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written, this.position + written);
      written += bytesWritten;
    }
    this.position += bytes.length;
  }
}

/** Random access to a package, whether it is a file on disk or bytes in memory. */
export type ByteSource = { size: number; read(offset: number, length: number): Promise<Buffer>; close(): Promise<void> };

export async function openByteSource(fileOrBytes: string | Uint8Array): Promise<ByteSource> {
  if (typeof fileOrBytes !== 'string') {
    const bytes = Buffer.from(fileOrBytes.buffer, fileOrBytes.byteOffset, fileOrBytes.byteLength);
    return {
      size: bytes.length,
      read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
      close: async () => undefined,
    };
  }
  const handle = await fs.open(fileOrBytes, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let got = 0;
      while (got < buffer.length) {
        const { bytesRead } = await handle.read(buffer, got, buffer.length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    },
    close: () => handle.close(),
  };
}

export type StoredZip = { entries: ZipEntry[]; centralHeaders: Buffer[] };

/**
 * Reads the end record and the central directory, checking that the entries lie back to back
 * from offset 0 up to the directory and that nothing follows the end record. checkCanonicalHeaders
 * then pins the remaining header bytes; hashEntry reads the contents.
 * Throws ZipFormatError naming the first thing that is not so.
 */
export async function readStoredZip(source: ByteSource): Promise<StoredZip> {
  if (source.size < END_BYTES) throw new ZipFormatError('too short to be a ZIP file');
  const end = await source.read(source.size - END_BYTES, END_BYTES);
  if (end.readUInt32LE(0) !== END_SIGNATURE) throw new ZipFormatError('no ZIP end record at the end of the file');
  const count = end.readUInt16LE(10);
  const directoryBytes = end.readUInt32LE(12);
  const directoryOffset = end.readUInt32LE(16);
  if (directoryOffset + directoryBytes !== source.size - END_BYTES) {
    throw new ZipFormatError('the central directory does not end where the end record begins');
  }
  if (directoryBytes > count * (CENTRAL_HEADER_BYTES + 480)) throw new ZipFormatError('the central directory is larger than its entries');
  if (!endOfCentralDirectory(count, directoryBytes, directoryOffset).equals(end)) throw new ZipFormatError('the ZIP end record is altered');
  const directory = await source.read(directoryOffset, directoryBytes);
  const entries: ZipEntry[] = [];
  const centralHeaders: Buffer[] = [];
  const names = new Set<string>();
  let cursor = 0;
  let expectedOffset = 0;
  for (let i = 0; i < count; i++) {
    if (cursor + CENTRAL_HEADER_BYTES > directory.length || directory.readUInt32LE(cursor) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${i + 1} is damaged`);
    }
    const nameLength = directory.readUInt16LE(cursor + 28);
    const headerLength = CENTRAL_HEADER_BYTES + nameLength;
    if (cursor + headerLength > directory.length) throw new ZipFormatError(`central directory entry ${i + 1} is damaged`);
    const name = directory.toString('latin1', cursor + CENTRAL_HEADER_BYTES, cursor + headerLength);
    if (!ZIP_NAME_PATTERN.test(name)) throw new ZipFormatError(`central directory entry ${i + 1} has a name not allowed in a package`);
    if (names.has(name.toLowerCase())) throw new ZipFormatError(`two entries are named ${name}`);
    names.add(name.toLowerCase());
    const size = directory.readUInt32LE(cursor + 24);
    const headerOffset = directory.readUInt32LE(cursor + 42);
    if (headerOffset !== expectedOffset) throw new ZipFormatError(`entry ${name} is not where the previous entry ends`);
    const entry = { name, size, crc32: directory.readUInt32LE(cursor + 16), headerOffset, dataOffset: headerOffset + 30 + nameLength };
    entries.push(entry);
    centralHeaders.push(directory.subarray(cursor, cursor + headerLength));
    expectedOffset = entry.dataOffset + size;
    cursor += headerLength;
  }
  if (cursor !== directory.length) throw new ZipFormatError('the central directory holds more than its entries');
  if (expectedOffset !== directoryOffset) throw new ZipFormatError('the last entry does not end where the central directory begins');
  return { entries, centralHeaders };
}

/** Every local and central header must be exactly what StoredZipWriter writes for its entry and `at`. */
export async function checkCanonicalHeaders(source: ByteSource, zip: StoredZip, at: DosTimestamp): Promise<void> {
  for (const [i, entry] of zip.entries.entries()) {
    if (!centralHeader(entry.name, entry.size, entry.crc32, at, entry.headerOffset).equals(zip.centralHeaders[i] as Buffer)) {
      throw new ZipFormatError(`the central directory header of ${entry.name} is altered`);
    }
    const expected = localHeader(entry.name, entry.size, entry.crc32, at);
    if (!expected.equals(await source.read(entry.headerOffset, expected.length))) {
      throw new ZipFormatError(`the local header of ${entry.name} is altered`);
    }
  }
}

/** SHA-256 (hex) and CRC-32 of one entry's contents, read in chunks. */
export async function hashEntry(source: ByteSource, entry: ZipEntry): Promise<{ sha256: string; crc32: number }> {
  const sha = createHash('sha256');
  let crc = 0;
  for (let offset = 0; offset < entry.size; offset += CHUNK_BYTES) {
    const chunk = await source.read(entry.dataOffset + offset, Math.min(CHUNK_BYTES, entry.size - offset));
    sha.update(chunk);
    crc = crc32(chunk, crc);
  }
  return { sha256: sha.digest('hex'), crc32: crc >>> 0 };
}

export async function readEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.size > maxBytes) throw new ZipFormatError(`${entry.name} is larger than a package allows`);
  return source.read(entry.dataOffset, entry.size);
}
