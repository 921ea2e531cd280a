// An uploaded document is what its bytes are, not what it claims: a picture (re-encoded through
// images.ts, its metadata gone) or a PDF (its header and end marker present). Anything else: 415.
import { AppError } from './errors.ts';
import { acceptPhoto } from './images.ts';

export async function checkDocument(data: Buffer): Promise<{ data: Buffer; contentType: 'application/pdf' | 'image/jpeg' }> {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (!data.subarray(-1024).toString('latin1').includes('%%EOF')) throw new AppError('not_a_document');
    return { data, contentType: 'application/pdf' };
  }
  try {
    return { data: (await acceptPhoto(data)).full, contentType: 'image/jpeg' };
  } catch {
    throw new AppError('not_a_document');
  }
}
