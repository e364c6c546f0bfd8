export interface GitIdent {
  name: string;
  email: string;
  /** Fixed epoch seconds, so commit ids are reproducible. */
  epochSeconds: number;
}

export interface FileChange {
  path: string;
  content: string | Buffer;
}

export interface CommitCommand {
  ref: string;
  author: GitIdent;
  committer?: GitIdent;
  message: string;
  /** Parent: a mark from this script, a commit id, or nothing for a root commit. */
  from?: number | string;
  files: FileChange[];
}

/** Builds a `git fast-import` stream; marks tie commits to later refs and tags within one import. */
export class FastImportScript {
  private readonly chunks: Buffer[] = [Buffer.from('feature done\n')];
  private nextMark = 1;

  commit(command: CommitCommand): number {
    const blobMarks = command.files.map((file) => ({ path: file.path, mark: this.blob(file.content) }));
    const mark = this.nextMark++;
    const message = Buffer.from(command.message);
    let text = `commit ${command.ref}\nmark :${mark}\n`;
    text += `author ${ident(command.author)}\ncommitter ${ident(command.committer ?? command.author)}\n`;
    this.chunks.push(Buffer.from(`${text}data ${message.length}\n`), message, Buffer.from('\n'));
    let body = '';
    if (command.from !== undefined) body += `from ${ref(command.from)}\n`;
    for (const { path, mark: blobMark } of blobMarks) body += `M 100644 :${blobMark} ${quotePath(path)}\n`;
    this.chunks.push(Buffer.from(`${body}\n`));
    return mark;
  }

  /** Points `ref` at a commit: lightweight tags, pull request refs, branches created without commits. */
  resetRef(refName: string, target: number | string): void {
    this.chunks.push(Buffer.from(`reset ${refName}\nfrom ${ref(target)}\n\n`));
  }

  /** Forgets a branch's current value inside this import, so the next commit on it can be a root commit. */
  clearRef(refName: string): void {
    this.chunks.push(Buffer.from(`reset ${refName}\n\n`));
  }

  annotatedTag(name: string, target: number | string, tagger: GitIdent, message: string): void {
    const body = Buffer.from(message);
    this.chunks.push(Buffer.from(`tag ${name}\nfrom ${ref(target)}\ntagger ${ident(tagger)}\ndata ${body.length}\n`), body, Buffer.from('\n'));
  }

  build(): Buffer {
    return Buffer.concat([...this.chunks, Buffer.from('done\n')]);
  }

  private blob(content: string | Buffer): number {
    const mark = this.nextMark++;
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    this.chunks.push(Buffer.from(`blob\nmark :${mark}\ndata ${data.length}\n`), data, Buffer.from('\n'));
    return mark;
  }
}

function ident(who: GitIdent): string {
  return `${who.name} <${who.email}> ${who.epochSeconds} +0000`;
}

function ref(target: number | string): string {
  return typeof target === 'number' ? `:${target}` : target;
}

function quotePath(path: string): string {
  return /["\\\n\s]/.test(path) ? JSON.stringify(path) : path;
}
