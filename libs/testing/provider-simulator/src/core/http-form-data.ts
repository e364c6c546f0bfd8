import type { IncomingMessage } from 'node:http';
import { headerValue, readBody } from './http-io';

export class FormDataError extends Error {}

export interface UploadedFile {
  /** The form field the file came in (`file` on GitLab, `files` on Bitbucket Cloud). */
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * The files of a `multipart/form-data` request body (other fields are ignored), parsed with the
 * platform's own form-data reader. A body that is no multipart form is a FormDataError.
 */
export async function readUploadedFiles(req: IncomingMessage, limitBytes = 50 * 1024 * 1024): Promise<UploadedFile[]> {
  const type = headerValue(req, 'content-type') ?? '';
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) throw new FormDataError('the request must be multipart/form-data');
  const body = await readBody(req, limitBytes);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new FormDataError('the multipart body could not be parsed');
  }
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', content: Buffer.from(await value.arrayBuffer()) });
  }
  return files;
}
