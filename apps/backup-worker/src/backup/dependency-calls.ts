import { ServiceUnreachableError, UpstreamProblemError } from '@repovault/platform/http';
import { RetryLaterError } from '@repovault/platform/queue';

/** Calls another service; when it is down the job is delayed without using an attempt. */
export async function dependency<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ServiceUnreachableError || (error instanceof UpstreamProblemError && error.problem.status >= 500)) {
      throw new RetryLaterError(10_000, error.message);
    }
    throw error;
  }
}
