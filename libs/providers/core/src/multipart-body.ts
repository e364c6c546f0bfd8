import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A `multipart/form-data` request body with one file, streamed (the file is never held in memory). */
export interface MultipartBody {
  contentType: string;
  /** known when the file's size is: then the request is not chunked */
  contentLength: number | null;
  body: ReadableStream<Uint8Array>;
}

function quoted(value: string): string {
  return value.replace(/["\\\r\n]/g, (c) => (c === '"' ? '%22' : c === '\\' ? '\\\\' : ''));
}

/** One file field (`file` on GitLab, `files` on Bitbucket Cloud) around a stream of its bytes. */
export function multipartFileBody(field: string, file: { name: string; contentType: string | null; size: number | null; body: Readable }): MultipartBody {
  const boundary = `repovault-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(field)}"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of file.body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: file.size === null ? null : head.length + file.size + tail.length,
    body: Readable.toWeb(Readable.from(parts())) as ReadableStream<Uint8Array>,
  };
}
