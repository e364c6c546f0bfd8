import { IdAllocator } from './id-allocator';
import type { SimCredential, SimOrganization, SimRepository, SimUser } from './world-model';

export class UnknownEntityError extends Error {}

/**
 * The in-memory registry of everything seeded. Look-ups are case-insensitive, as logins and
 * repository names are on the hosting providers.
 */
export class World {
  readonly ids = new IdAllocator();
  private readonly usersById = new Map<number, SimUser>();
  private readonly usersByLogin = new Map<string, SimUser>();
  private readonly orgsByLogin = new Map<string, SimOrganization>();
  private readonly credentialsByValue = new Map<string, SimCredential>();
  private readonly credentialsByName = new Map<string, SimCredential>();
  private readonly issuedByValue = new Map<string, SimCredential>();
  private readonly repos = new Map<string, SimRepository>();
  private readonly reposById = new Map<number, SimRepository>();

  addUser(user: SimUser): void {
    const key = user.login.toLowerCase();
    if (this.usersByLogin.has(key) || this.orgsByLogin.has(key)) throw new Error(`Account ${user.login} defined twice`);
    this.usersById.set(user.id, user);
    this.usersByLogin.set(key, user);
  }

  addOrganization(org: SimOrganization): void {
    const key = org.login.toLowerCase();
    if (this.usersByLogin.has(key) || this.orgsByLogin.has(key)) throw new Error(`Account ${org.login} defined twice`);
    this.orgsByLogin.set(key, org);
  }

  addCredential(credential: SimCredential): void {
    if (this.credentialsByName.has(credential.name)) throw new Error(`Token name ${credential.name} defined twice`);
    if (this.credentialsByValue.has(credential.value)) throw new Error(`Token value of ${credential.name} is not unique`);
    this.credentialsByName.set(credential.name, credential);
    this.credentialsByValue.set(credential.value, credential);
  }

  /**
   * A token issued at run time (OAuth, GitHub App installations): it authenticates like a seeded
   * one but is no seeded credential (not listed, not in `tokens`).
   */
  issueCredential(credential: SimCredential): void {
    if (this.credentialsByValue.has(credential.value) || this.issuedByValue.has(credential.value)) throw new Error('Issued token value is not unique');
    this.issuedByValue.set(credential.value, credential);
  }

  addRepository(repo: SimRepository): void {
    const key = repoKey(repo.owner.login, repo.name);
    if (this.repos.has(key)) throw new Error(`Repository ${repo.owner.login}/${repo.name} already exists`);
    this.repos.set(key, repo);
    this.reposById.set(repo.id, repo);
  }

  removeRepository(owner: string, name: string): SimRepository {
    const repo = this.requireRepository(owner, name);
    this.repos.delete(repoKey(owner, name));
    this.reposById.delete(repo.id);
    return repo;
  }

  user(login: string): SimUser | undefined {
    return this.usersByLogin.get(login.toLowerCase());
  }

  userById(id: number): SimUser | undefined {
    return this.usersById.get(id);
  }

  requireUserById(id: number): SimUser {
    const user = this.usersById.get(id);
    if (!user) throw new UnknownEntityError(`No user with id ${id}`);
    return user;
  }

  users(): SimUser[] {
    return [...this.usersById.values()];
  }

  organization(login: string): SimOrganization | undefined {
    return this.orgsByLogin.get(login.toLowerCase());
  }

  organizations(): SimOrganization[] {
    return [...this.orgsByLogin.values()];
  }

  credentialByValue(value: string): SimCredential | undefined {
    return this.credentialsByValue.get(value) ?? this.issuedByValue.get(value);
  }

  credentials(): SimCredential[] {
    return [...this.credentialsByName.values()];
  }

  repository(owner: string, name: string): SimRepository | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  repositoryById(id: number): SimRepository | undefined {
    return this.reposById.get(id);
  }

  requireRepository(owner: string, name: string): SimRepository {
    const repo = this.repository(owner, name);
    if (!repo) throw new UnknownEntityError(`No repository ${owner}/${name}`);
    return repo;
  }

  /** Repositories of one owner, in creation (id) order. */
  repositoriesOf(owner: string): SimRepository[] {
    const login = owner.toLowerCase();
    return [...this.reposById.values()].filter((r) => r.owner.login.toLowerCase() === login).sort((a, b) => a.id - b.id);
  }

  allRepositories(): SimRepository[] {
    return [...this.reposById.values()];
  }
}

function repoKey(owner: string, name: string): string {
  return `${owner.toLowerCase()}/${name.toLowerCase()}`;
}
