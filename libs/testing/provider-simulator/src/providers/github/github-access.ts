import type { World } from '../../core/world/world';
import { fullName, type SimCredential, type SimRepository } from '../../core/world/world-model';
import type { GithubViewer } from './github-auth';

/** What the user behind the viewer may do on a repository, before token restrictions. */
function userPermission(world: World, viewer: GithubViewer, repo: SimRepository): 'none' | 'read' | 'write' {
  if (viewer.kind !== 'user') return 'none';
  const installation = viewer.credential.installation;
  if (installation) return repo.owner.login.toLowerCase() === installation.account ? installation.contents : 'none';
  if (repo.owner.kind === 'user') return repo.owner.id === viewer.user.id ? 'write' : 'none';
  const org = world.organization(repo.owner.login);
  const role = org?.members.get(viewer.user.id);
  if (!org || !role) return 'none';
  return role === 'admin' || org.memberPermission === 'write' ? 'write' : 'read';
}

/** Whether a fine-grained token was granted this repository (its owner and, if listed, the repository). */
function fineGrainedGrant(credential: SimCredential, repo: SimRepository, userId: number): boolean {
  const ownerGranted = repo.owner.kind === 'user' ? repo.owner.id === userId : credential.organizations.includes(repo.owner.login.toLowerCase());
  if (!ownerGranted) return false;
  return credential.repositories === 'all' || credential.repositories.includes(fullName(repo).toLowerCase());
}

export function hasScope(credential: SimCredential, scope: string): boolean {
  return credential.scopes.includes(scope);
}

/** Public repositories are readable by everyone; private ones need access and a token allowed to use it. */
export function canRead(world: World, viewer: GithubViewer, repo: SimRepository): boolean {
  if (!repo.private) return true;
  if (viewer.kind !== 'user' || userPermission(world, viewer, repo) === 'none') return false;
  const { credential } = viewer;
  if (credential.kind === 'installation') return true;
  return credential.kind === 'classic' ? hasScope(credential, 'repo') : fineGrainedGrant(credential, repo, viewer.user.id);
}

export function canWrite(world: World, viewer: GithubViewer, repo: SimRepository): boolean {
  if (viewer.kind !== 'user' || userPermission(world, viewer, repo) !== 'write') return false;
  const { credential } = viewer;
  if (credential.kind === 'installation') return true;
  if (credential.kind === 'classic') return hasScope(credential, 'repo') || (!repo.private && hasScope(credential, 'public_repo'));
  return credential.permission === 'write' && fineGrainedGrant(credential, repo, viewer.user.id);
}

export function isAdmin(world: World, viewer: GithubViewer, repo: SimRepository): boolean {
  if (viewer.kind !== 'user') return false;
  if (repo.owner.kind === 'user') return repo.owner.id === viewer.user.id;
  return world.organization(repo.owner.login)?.members.get(viewer.user.id) === 'admin';
}
