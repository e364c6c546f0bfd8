import { condition1, condition2 } from './github-app-conditions';

const acme = { id: 1, login: 'acme' };
const alice = { id: 2, login: 'alice' };

describe("the seed's two conditions for additional GitHub Apps", () => {
  it('condition 1: an installation that became a request for approval is refused, naming condition 1', () => {
    expect(condition1('install', null)).toBeNull();
    expect(condition1('update', null)).toBeNull();
    expect(condition1(undefined, null)).toBeNull();
    expect(condition1('request', 'acme')).toMatchObject({
      condition: 1, code: 'installation-needs-approval', detail: expect.stringMatching(/^Condition 1 is not met: you do not have the required permissions to complete the installation\. .*owner of acme/),
    });
  });

  it('condition 2, registered through the main GitHub App: only the account that has the main app', () => {
    const main = { method: 'github-app' as const, account: acme };
    expect(condition2(main, acme, 'acme')).toBeNull();
    expect(condition2(main, alice, 'acme')).toMatchObject({
      condition: 2, code: 'account-not-registered', detail: expect.stringMatching(/^Condition 2 is not met: register the account "alice" with the organization "acme" in RepoVault first/),
    });
  });

  it.each(['oauth', 'token'] as const)('condition 2, registered through %s: any account, other personal accounts included', (method) => {
    expect(condition2({ method }, alice, 'acme')).toBeNull();
    expect(condition2({ method }, acme, 'acme')).toBeNull();
  });
});
