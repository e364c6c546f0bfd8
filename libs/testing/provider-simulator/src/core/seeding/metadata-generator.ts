import type { IdAllocator } from '../world/id-allocator';
import type {
  IssueCommentRecord,
  IssueRecord,
  LabelRecord,
  MilestoneRecord,
  ReleaseRecord,
  RepositoryMetadata,
  ReviewCommentRecord,
  ReviewRecord,
} from '../world/world-model';
import type { ResolvedMetadataSeed } from './seed-config';
import type { SeededRandom } from './seeded-random';
import { isoSeconds } from './timestamps';

const LABELS: Array<[string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['question', 'd876e3', 'Further information is requested'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['wontfix', 'ffffff', 'This will not be worked on'],
];

export interface MetadataInput {
  ids: IdAllocator;
  random: SeededRandom;
  spec: ResolvedMetadataSeed;
  /** Ids of the users who author issues, comments and reviews. */
  people: number[];
  baseEpochSeconds: number;
  defaultBranch: string;
  branches: string[];
  tags: string[];
}

/** Issues, pull requests, comments, reviews, releases, labels and milestones of one repository. */
export function generateMetadata(input: MetadataInput): RepositoryMetadata {
  const { ids, random, spec, people } = input;
  const base = input.baseEpochSeconds + 86_400;
  const person = (): number => random.pick(people);

  const labels: LabelRecord[] = [];
  for (let i = 0; i < spec.labels; i++) {
    const [name, color, description] = LABELS[i] ?? [`area-${i + 1}`, 'ededed', `Area ${i + 1}`];
    labels.push({ id: ids.allocate('label'), name, color, description, isDefault: i < LABELS.length });
  }

  const milestones: MilestoneRecord[] = [];
  for (let i = 0; i < spec.milestones; i++) {
    const created = base + i * 3600;
    const closed = i > 0;
    milestones.push({
      id: ids.allocate('milestone'),
      number: i + 1,
      title: `v${i + 1}.0`,
      description: random.words(6),
      state: closed ? 'closed' : 'open',
      creatorId: person(),
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(created + 1800),
      closedAt: closed ? isoSeconds(created + 1800) : null,
      dueOn: isoSeconds(created + 30 * 86_400),
    });
  }

  // Which numbers are pull requests: shuffled, so issues and pull requests interleave as on GitHub.
  const kinds: Array<'issue' | 'pull'> = [...Array<'issue'>(spec.issues).fill('issue'), ...Array<'pull'>(spec.pulls).fill('pull')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }

  const issues: IssueRecord[] = [];
  const issueComments: IssueCommentRecord[] = [];
  const reviews: ReviewRecord[] = [];
  const reviewComments: ReviewCommentRecord[] = [];
  let pullIndex = 0;
  kinds.forEach((kind, index) => {
    const number = index + 1;
    const created = base + number * 7200;
    let updated = created + 600;
    for (let c = 0; c < spec.commentsPerIssue; c++) {
      const at = created + (c + 1) * 1800;
      issueComments.push({ id: ids.allocate('issueComment'), issueNumber: number, authorId: person(), body: random.words(10), createdAt: isoSeconds(at), updatedAt: isoSeconds(at) });
      updated = Math.max(updated, at);
    }
    const isPull = kind === 'pull';
    if (isPull) {
      for (let r = 0; r < spec.reviewsPerPull; r++) {
        const at = created + (r + 1) * 2400;
        reviews.push({ id: ids.allocate('review'), pullNumber: number, authorId: person(), state: random.pick(['APPROVED', 'COMMENTED', 'CHANGES_REQUESTED'] as const), body: random.words(8), submittedAt: isoSeconds(at) });
        updated = Math.max(updated, at);
      }
      const firstReview = reviews.find((r) => r.pullNumber === number);
      for (let r = 0; r < spec.reviewCommentsPerPull; r++) {
        const at = created + (r + 1) * 3000;
        reviewComments.push({
          id: ids.allocate('reviewComment'),
          pullNumber: number,
          reviewId: firstReview?.id ?? 0,
          authorId: person(),
          body: random.words(9),
          path: 'README.md',
          line: r + 1,
          createdAt: isoSeconds(at),
          updatedAt: isoSeconds(at),
        });
        updated = Math.max(updated, at);
      }
    }
    const closed = random.next() < 0.35;
    const closedAt = closed ? updated + 600 : null;
    if (closedAt !== null) updated = closedAt;
    const merged = isPull && closed && random.next() < 0.7;
    issues.push({
      id: ids.allocate('issue'),
      number,
      title: `${isPull ? 'Change' : 'Problem with'} ${random.words(4)}`,
      body: random.words(30),
      state: closed ? 'closed' : 'open',
      authorId: person(),
      assigneeIds: random.next() < 0.5 ? [person()] : [],
      labelNames: labels.length > 0 && random.next() < 0.7 ? [random.pick(labels).name] : [],
      milestoneNumber: milestones.length > 0 && random.next() < 0.5 ? random.pick(milestones).number : null,
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(updated),
      closedAt: closedAt === null ? null : isoSeconds(closedAt),
      pull: isPull
        ? {
            id: ids.allocate('pull'),
            headRef: input.branches[pullIndex++ % input.branches.length],
            baseRef: input.defaultBranch,
            merged,
            mergedAt: merged && closedAt !== null ? isoSeconds(closedAt) : null,
            draft: !closed && random.next() < 0.2,
          }
        : null,
    });
  });

  const releases: ReleaseRecord[] = [];
  for (let i = 0; i < spec.releases; i++) {
    const created = base + 40 * 86_400 + i * 86_400;
    const authorId = person();
    const tagName = input.tags[i];
    releases.push({
      id: ids.allocate('release'),
      tagName,
      targetCommitish: input.defaultBranch,
      name: `Release ${tagName}`,
      body: random.words(20),
      draft: false,
      prerelease: false,
      authorId,
      createdAt: isoSeconds(created),
      publishedAt: isoSeconds(created + 300),
      assets: Array.from({ length: spec.assetsPerRelease }, (_, k) => ({
        id: ids.allocate('releaseAsset'),
        name: `artifact-${tagName}-${k + 1}.tar.gz`,
        contentType: 'application/gzip',
        content: random.bytes(random.int(64, 512)),
        uploaderId: authorId,
        createdAt: isoSeconds(created + 60),
      })),
    });
  }

  return { labels, milestones, issues, issueComments, reviews, reviewComments, releases };
}
